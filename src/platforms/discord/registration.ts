/**
 * The `/tiket` application command, built from the same command registry the console and Slack
 * use: one native subcommand per CommandSpec, the grammar's positionals as typed options
 * (`tiket`, `pengguna` as a user option, `peran`, `teks`) and its key=value options as options
 * (choices as Discord choices, yes-flags as booleans). Descriptions come from the i18n
 * catalogues, localised for `id` and `en-US`; names stay the ⚓ grammar's in every locale.
 */
import { COMMANDS } from '../../../commands/index.js';
import type { CommandSpec, OptionSpec } from '../../command/spec.js';
import { catalogues, type Locale, type MessageKey } from '../../i18n/index.js';

export const COMMAND_NAME = 'tiket';
/** ⚓ The message context-menu command (DESIGN §8): opens the `buka` form prefilled from a message. */
export const FROM_MESSAGE_COMMAND = catalogues.id['cmd.fromMessage'];

/** Discord application command option types. */
export const OptionType = { Subcommand: 1, String: 3, Boolean: 5, User: 6 } as const;

export interface RegisteredOption {
  type: number;
  name: string;
  name_localizations: Record<string, string>;
  description: string;
  description_localizations: Record<string, string>;
  required?: boolean;
  choices?: { name: string; name_localizations?: Record<string, string>; value: string }[];
  options?: RegisteredOption[];
  max_length?: number;
  autocomplete?: boolean;
}

export interface RegisteredCommand {
  name: string;
  name_localizations: Record<string, string>;
  description: string;
  description_localizations: Record<string, string>;
  /** 1: the `/tiket` slash command; 3: a message context-menu command. */
  type: 1 | 3;
  contexts: number[];
  integration_types: number[];
  options: RegisteredOption[];
}

/** Which Discord locale each catalogue serves. */
const DISCORD_LOCALES: Record<Locale, string> = { id: 'id', en: 'en-US' };

const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

function describe(key: MessageKey, base: Locale) {
  const description_localizations: Record<string, string> = {};
  for (const [locale, discordLocale] of Object.entries(DISCORD_LOCALES))
    description_localizations[discordLocale] = clip(catalogues[locale as Locale][key], 100);
  return { description: clip(catalogues[base][key], 100), description_localizations };
}

/** Names are the grammar's own (muscle memory, help text, the console): the same in every locale. */
const named = (name: string) => ({
  name,
  name_localizations: Object.fromEntries(Object.values(DISCORD_LOCALES).map((l) => [l, name])),
});

function choiceLabel(option: string, value: string, locale: Locale): string {
  const key = `service.${value}` as MessageKey;
  return option === 'layanan' && catalogues[locale][key] ? catalogues[locale][key] : value;
}

function keyOption(o: OptionSpec, base: Locale): RegisteredOption {
  const out: RegisteredOption = {
    type: o.kind === 'yes' ? OptionType.Boolean : OptionType.String,
    ...named(o.nativeName ?? o.name),
    ...describe(o.description, base),
    required: o.required === true,
  };
  if (o.kind === 'choice')
    out.choices = (o.choices ?? []).map((value) => ({
      name: choiceLabel(o.name, value, base),
      name_localizations: Object.fromEntries(
        Object.entries(DISCORD_LOCALES).map(([l, dl]) => [dl, choiceLabel(o.name, value, l as Locale)]),
      ),
      value,
    }));
  if (o.kind === 'string') out.max_length = o.name === 'keluhan' ? 1000 : 200;
  return out;
}

/** The positional parts of the grammar, as Discord options. */
export function positionalOptions(spec: CommandSpec, base: Locale): RegisteredOption[] {
  const p = spec.positionals;
  const out: RegisteredOption[] = [];
  if (p.ticket)
    out.push({
      type: OptionType.String,
      ...named('tiket'),
      ...describe('opt.tiket', base),
      required: true,
      max_length: 20,
      autocomplete: true, // suggests the team's active tickets as you type
    });
  if (p.user)
    out.push({ type: OptionType.User, ...named('pengguna'), ...describe('opt.pengguna', base), required: true });
  if (p.role)
    out.push({
      type: OptionType.String,
      ...named('peran'),
      ...describe('opt.peran', base),
      required: true,
      choices: p.role.choices.map((value) => ({ name: value, value })),
    });
  if (p.text)
    out.push({
      type: OptionType.String,
      ...named('teks'),
      ...describe('opt.teks', base),
      required: p.text === 'required',
      max_length: 1000,
    });
  return out;
}

/** One subcommand; Discord wants required options before optional ones. */
export function subcommand(spec: CommandSpec, base: Locale): RegisteredOption {
  const options = [...positionalOptions(spec, base), ...spec.options.map((o) => keyOption(o, base))];
  // A form-backed command (`buka`) runs with options missing and opens its form instead.
  if (spec.intakeForm) for (const o of options) o.required = false;
  const sorted = [...options.filter((o) => o.required), ...options.filter((o) => !o.required)];
  return { type: OptionType.Subcommand, ...named(spec.name), ...describe(spec.description, base), options: sorted };
}

/** The whole `/tiket` command for PUT …/commands (bulk overwrite: one command, every subcommand). */
export function buildRegistrationPayload(
  commands: readonly CommandSpec[] = COMMANDS,
  base: Locale = 'id',
): RegisteredCommand[] {
  return [
    {
      ...named(COMMAND_NAME),
      ...describe('discord.command', base),
      type: 1,
      contexts: [0], // guild channels only: tickets live in team channels
      integration_types: [0],
      options: commands.map((spec) => subcommand(spec, base)),
    },
    {
      // A message command has a name only (no description, no options); English readers see theirs.
      name: FROM_MESSAGE_COMMAND,
      name_localizations: { [DISCORD_LOCALES.en]: catalogues.en['cmd.fromMessage'] },
      description: '',
      description_localizations: {},
      type: 3,
      contexts: [0],
      integration_types: [0],
      options: [],
    },
  ];
}
