/**
 * Discord interactions → neutral command calls → rendered replies. No business rule here:
 * slash options become the grammar's RawInput, buttons run the command line they carry as the
 * clicker, modals submit their fields to the command they complete. Every delivery carries the
 * interaction id, so a repeat has no second effect (the dispatcher deduplicates).
 */
import {
  type AutocompleteInteraction,
  type BaseInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  DiscordAPIError,
  type InteractionReplyOptions,
  type MessageContextMenuCommandInteraction,
  MessageFlags,
  type ModalSubmitInteraction,
  RESTJSONErrorCodes,
} from 'discord.js';
import { findCommand } from '../../../commands/index.js';
import type { Core } from '../../app.js';
import {
  type Invocation,
  type Outcome,
  type RawInput,
  runCommandLine,
  runRaw,
  runWithForm,
  speakerLocale,
  viewerOf,
} from '../../command/dispatch.js';
import type { FormSpec } from '../../reply.js';
import { cardStepForm, serviceLabel, statusLabel } from '../../services/present.js';
import { listTickets } from '../../services/queries.js';
import { getActor } from '../../services/roster.js';
import {
  derivedForm,
  fitFields,
  formModal,
  isModalId,
  messageLink,
  modalCommandLine,
  modalSource,
  recallForm,
  sourceFormModal,
  submittedValues,
} from './forms.js';
import { enrollFromGuildRoles } from './guild-roles.js';
import { COMMAND_NAME, FROM_MESSAGE_COMMAND } from './registration.js';
import { type DiscordMessageBody, FORM_BUTTON_PREFIX, RUN_PREFIX, renderMessage } from './render.js';

/** Someone (another instance, a gateway replay) already answered this interaction. */
const ALREADY_ANSWERED = new Set<number | string>([
  RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged,
  RESTJSONErrorCodes.UnknownInteraction,
]);

const isAlreadyAnswered = (err: unknown) => err instanceof DiscordAPIError && ALREADY_ANSWERED.has(err.code);

/** Tickets live in the team channel; a command typed inside a ticket's thread belongs to its parent. */
function teamChannel(interaction: BaseInteraction): string {
  const ch = interaction.channel;
  if (ch?.isThread() && ch.parentId) return ch.parentId;
  return interaction.channelId ?? '';
}

function invocation(interaction: BaseInteraction, withDelivery = true): Invocation {
  return {
    platform: 'discord',
    userId: interaction.user.id,
    channel: teamChannel(interaction),
    // The person's Discord language (en-US, en-GB, id…): their private answers follow it.
    locale: interaction.locale,
    ...(withDelivery ? { deliveryId: interaction.id } : {}),
  };
}

/** The grammar's parts from native options: `tiket`, `pengguna`, `peran` positionals, `teks` free text. */
export function rawFromOptions(sub: string, options: readonly CommandInteractionOption[]): RawInput {
  const raw: RawInput = { name: sub, positionals: [], options: {} };
  const byName = new Map(options.map((o) => [o.name, o]));
  for (const name of ['tiket', 'pengguna', 'peran']) {
    const o = byName.get(name);
    if (o?.value !== undefined && o.value !== null) raw.positionals.push(String(o.value));
    byName.delete(name);
  }
  const text = byName.get('teks');
  if (text?.value !== undefined) raw.text = String(text.value);
  byName.delete('teks');
  const grammarName = new Map(
    (findCommand(sub)?.options ?? []).filter((o) => o.nativeName).map((o) => [o.nativeName, o.name]),
  );
  for (const [name, o] of byName) {
    if (o.value === undefined || o.value === null) continue;
    raw.options[grammarName.get(name) ?? name] =
      typeof o.value === 'boolean' ? (o.value ? 'ya' : 'tidak') : String(o.value);
  }
  return raw;
}

/** The rendered body in discord.js's option names (embeds and components pass through as API JSON). */
const asOptions = (body: DiscordMessageBody) => ({
  content: body.content,
  embeds: body.embeds as unknown as NonNullable<InteractionReplyOptions['embeds']>,
  components: body.components as unknown as NonNullable<InteractionReplyOptions['components']>,
  allowedMentions: body.allowed_mentions,
});

type Answerable = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

/**
 * Acknowledges at once (privately), so work of any length stays within Discord's 3 s.
 * 'answered': someone else acknowledged it (another instance, a replay); the work still runs and
 * the dispatcher's dedupe decides whether it has an effect. 'expired': Discord already told the
 * user it failed, so nothing may happen behind their back.
 */
async function deferPrivately(interaction: Answerable): Promise<'ok' | 'answered' | 'expired'> {
  try {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    return 'ok';
  } catch (err) {
    if (err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.UnknownInteraction) return 'expired';
    if (isAlreadyAnswered(err)) return 'answered';
    throw err;
  }
}

/**
 * Renders the outcome on a deferred interaction: the first private reply replaces the
 * "thinking…" placeholder; channel replies and further ones are follow-ups.
 */
async function respond(interaction: Answerable, outcome: Outcome): Promise<void> {
  let originalUsed = false;
  for (const reply of outcome.replies) {
    const isPrivate = reply.audience === 'ephemeral' || reply.error !== null;
    const body = renderMessage(reply);
    if (isPrivate && !originalUsed) {
      await interaction.editReply(asOptions(body));
      originalUsed = true;
    } else {
      await interaction.followUp({ ...asOptions(body), ...(isPrivate ? { flags: MessageFlags.Ephemeral } : {}) });
    }
  }
  if (!originalUsed) await interaction.deleteReply();
}

/** Runs the work with the interaction acknowledged; see deferPrivately for the other cases. */
async function deferredRun(interaction: Answerable, work: () => Promise<Outcome>): Promise<void> {
  const ack = await deferPrivately(interaction);
  if (ack === 'expired') return;
  const outcome = await work();
  if (ack === 'answered') return;
  if (outcome.duplicate) {
    await interaction.deleteReply();
    return;
  }
  await respond(interaction, outcome);
}

/** Discord allows 3 s for the first answer; leave room for the answer's own round trip. */
const MODAL_DEADLINE_MS = 2000;

const quoteValue = (v: string) => (/\s/.test(v) ? `"${v.replace(/"/g, "'")}"` : v);

/** The form for `buka` with options missing, prefilled with those given; null when none applies. */
async function intakeModal(core: Core, interaction: ChatInputCommandInteraction, raw: RawInput) {
  const probe = await runRaw(core, invocation(interaction, false), { name: raw.name, positionals: [], options: {} });
  const form = probe.replies.find((r) => r.form)?.form;
  if (!form) return { probe, modal: null };
  const prefilled: FormSpec = {
    ...form,
    fields: form.fields.map((f) => (raw.options[f.name] ? { ...f, initial: raw.options[f.name] } : f)),
  };
  const shown = new Set(fitFields(prefilled.fields).map((f) => f.name));
  // What the modal cannot show (e.g. `baru`, or a field beyond Discord's five) rides in the line.
  const carried = Object.entries(raw.options)
    .filter(([k]) => !shown.has(k))
    .map(([k, v]) => `${k}=${quoteValue(v)}`);
  const line = [form.command, form.context ?? '', ...carried].filter(Boolean).join(' ');
  return { probe, modal: formModal(prefilled, line) };
}

async function onSlash(core: Core, interaction: ChatInputCommandInteraction): Promise<void> {
  if (interaction.commandName !== COMMAND_NAME) return;
  const sub = interaction.options.getSubcommand(false) ?? 'bantuan';
  const subOptions = interaction.options.data[0]?.options ?? [];
  const raw = rawFromOptions(sub, subOptions);
  const spec = findCommand(sub);
  if (spec?.intakeForm && spec.options.some((o) => o.required && !raw.options[o.name])) {
    // A modal must be the first answer, so it cannot wait behind a deferral: if the database is
    // too slow to say which form to show, run the command instead (it names what is missing).
    const timer = new Promise<null>((resolve) => setTimeout(resolve, MODAL_DEADLINE_MS, null).unref());
    const asked = await Promise.race([intakeModal(core, interaction, raw), timer]);
    if (!asked) core.log.warn({ interaction: interaction.id }, 'discord intake form too slow; running the command');
    const { probe, modal } = asked ?? { probe: null, modal: null };
    if (modal) {
      await interaction.showModal(modal as unknown as Parameters<typeof interaction.showModal>[0]);
      return;
    }
    if (probe?.error) {
      await interaction.reply({ ...asOptions(renderMessage(probe.replies[0]!)), flags: MessageFlags.Ephemeral });
      return;
    }
  }
  await deferredRun(interaction, () => runRaw(core, invocation(interaction), raw));
}

const buttonLabel = (interaction: ButtonInteraction) => {
  const c = interaction.component;
  // null when the clicked component is not in the message discord.js was given
  return c && 'label' in c && typeof c.label === 'string' ? c.label : '';
};

async function onButton(core: Core, interaction: ButtonInteraction): Promise<void> {
  const id = interaction.customId;
  if (id.startsWith(RUN_PREFIX)) {
    const line = id.slice(RUN_PREFIX.length);
    await deferredRun(interaction, () => runCommandLine(core, invocation(interaction), line));
    return;
  }
  if (id.startsWith(FORM_BUTTON_PREFIX)) {
    const line = id.slice(FORM_BUTTON_PREFIX.length);
    // A card step's form is rebuilt in the clicker's language, the same before and after a restart;
    // other forms are remembered by this process, or cut down to the command's free text.
    const clicker = viewerOf(core, speakerLocale(core, invocation(interaction)));
    const form =
      cardStepForm(clicker, line) ??
      recallForm(id) ??
      derivedForm(line, `${buttonLabel(interaction)} ${line.split(' ')[1] ?? ''}`.trim(), clicker.t('opt.teks'));
    const modal = form ? formModal(form, line) : null;
    if (modal) await interaction.showModal(modal as unknown as Parameters<typeof interaction.showModal>[0]);
    else await deferredRun(interaction, () => runCommandLine(core, invocation(interaction), line));
  }
}

async function onModal(core: Core, interaction: ModalSubmitInteraction): Promise<void> {
  if (!isModalId(interaction.customId)) return;
  const line = modalCommandLine(interaction.customId);
  const values = submittedValues(interaction.components as Parameters<typeof submittedValues>[0]);
  const from = modalSource(interaction.customId);
  const inv: Invocation = from
    ? {
        ...invocation(interaction),
        source: {
          platform: 'discord',
          ...from,
          link: messageLink(interaction.guildId, from.channel, from.message),
        },
      }
    : invocation(interaction);
  await deferredRun(interaction, () => runWithForm(core, inv, line, values));
}

/**
 * "Buat tiket dari pesan ini" on a message: the `buka` form prefilled with its text (the modal
 * must be the first answer), or, when the message already made a ticket, which one.
 */
async function onMessageCommand(core: Core, interaction: MessageContextMenuCommandInteraction): Promise<void> {
  if (interaction.commandName !== FROM_MESSAGE_COMMAND) return;
  const message = interaction.targetMessage;
  const channel = message.channelId;
  const inv: Invocation = {
    ...invocation(interaction, false),
    source: {
      platform: 'discord',
      channel,
      message: message.id,
      link: messageLink(interaction.guildId, channel, message.id),
      text: message.content,
    },
  };
  const outcome = await runRaw(core, inv, { name: 'buka', positionals: [], options: {} });
  const form = outcome.replies.find((r) => r.form)?.form;
  const modal = form ? sourceFormModal(form, { channel, message: message.id }) : null;
  if (modal) {
    await interaction.showModal(modal as unknown as Parameters<typeof interaction.showModal>[0]);
    return;
  }
  const reply = outcome.replies[0];
  if (reply) await interaction.reply({ ...asOptions(renderMessage(reply)), flags: MessageFlags.Ephemeral });
}

/** Discord shows at most 25 suggestions. */
const SUGGESTIONS_MAX = 25;

/**
 * Suggestions for the `tiket` option: the caller's team's active tickets matching what they
 * typed. Only number, service and status: no customer data, even privately.
 */
async function onAutocomplete(core: Core, interaction: AutocompleteInteraction): Promise<void> {
  const focused = interaction.options.getFocused(true);
  if (focused.name !== 'tiket') {
    await interaction.respond([]);
    return;
  }
  const actor = await getActor(core, `discord:${interaction.user.id}`);
  if (!actor.role) {
    await interaction.respond([]);
    return;
  }
  const typed = String(focused.value).trim().toUpperCase();
  const { rows } = await listTickets(core, actor, undefined, 'tim');
  const choices = rows
    .filter((t) => !typed || t.number.includes(typed))
    .slice(0, SUGGESTIONS_MAX)
    .map((t) => ({
      name: `${t.number} · ${serviceLabel(core, t.service)} · ${statusLabel(core, t.status)}`.slice(0, 100),
      value: t.number,
    }));
  await interaction.respond(choices);
}

/** A deferred interaction must not be left "thinking…" when something broke on our side. */
async function sayUnavailable(core: Core, interaction: BaseInteraction): Promise<void> {
  if (!interaction.isRepliable() || !interaction.deferred || interaction.replied) return;
  await interaction
    .editReply({ content: core.t('err.unavailable'), allowedMentions: { parse: [] } })
    .catch((err) => core.log.debug({ err }, 'could not report the failure on Discord'));
}

/** One interaction, start to finish; errors are logged, never thrown into discord.js. */
export async function handleInteraction(core: Core, interaction: BaseInteraction): Promise<void> {
  try {
    if (core.config.DISCORD_ROLE_MAP) await enrollFromGuildRoles(core, interaction.user.id, interaction.member);
    if (interaction.isChatInputCommand()) await onSlash(core, interaction);
    else if (interaction.isMessageContextMenuCommand()) await onMessageCommand(core, interaction);
    else if (interaction.isButton()) await onButton(core, interaction);
    else if (interaction.isModalSubmit()) await onModal(core, interaction);
    else if (interaction.isAutocomplete()) await onAutocomplete(core, interaction);
  } catch (err) {
    if (isAlreadyAnswered(err)) {
      core.log.debug({ interaction: interaction.id }, 'discord interaction answered elsewhere');
      return;
    }
    core.log.error({ err, interaction: interaction.id }, 'discord interaction failed');
    await sayUnavailable(core, interaction);
  }
}
