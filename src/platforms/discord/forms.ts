/**
 * Forms (FormSpec) as Discord modals. A modal's custom_id carries the command line it completes
 * (`m|tolak GGN-000042 permintaan=7`); the fields come back as options (`teks` = free text).
 *
 * A button's custom_id holds only 100 characters, too few for a form's localised title and
 * labels. A card step's form is rebuilt from the button's command line (`cardStepForm`, in the
 * clicker's language); other forms of rendered buttons are remembered in this process, and after
 * a restart a click rebuilds them from the command's own spec (the missing free text).
 */
import { findCommand } from '../../../commands/index.js';
import { lineToRaw } from '../../command/dispatch.js';
import type { FormField, FormSpec } from '../../reply.js';

const MODAL_PREFIX = 'm|';
const CUSTOM_ID_MAX = 100;
/** Discord allows five top-level components in a modal. */
const MODAL_MAX_FIELDS = 5;
const REMEMBERED_MAX = 2000;

const remembered = new Map<string, FormSpec>();

export function rememberForm(customId: string, form: FormSpec): string {
  remembered.delete(customId);
  remembered.set(customId, form);
  if (remembered.size > REMEMBERED_MAX) remembered.delete(remembered.keys().next().value!);
  return customId;
}

export function recallForm(customId: string): FormSpec | undefined {
  return remembered.get(customId);
}

const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/**
 * The form a command line still needs when nothing remembers it: its required free text.
 * `label` names the field in the user's language.
 */
export function derivedForm(commandLine: string, title: string, label: string): FormSpec | undefined {
  const spec = findCommand(lineToRaw(commandLine).name.toLowerCase());
  if (!spec?.positionals.text) return undefined;
  return {
    command: spec.name,
    title,
    fields: [{ name: 'teks', label, kind: 'long_text', required: spec.positionals.text === 'required' }],
  };
}

/** The fields Discord can show: required ones first, then optional ones while there is room. */
export function fitFields(fields: readonly FormField[]): FormField[] {
  const required = fields.filter((f) => f.required);
  const optional = fields.filter((f) => !f.required);
  const keep = new Set([...required, ...optional].slice(0, MODAL_MAX_FIELDS));
  return fields.filter((f) => keep.has(f)); // in the form's own order
}

function fieldComponent(field: FormField): Record<string, unknown> {
  if (field.kind === 'choice') {
    return {
      type: 3,
      custom_id: field.name,
      required: field.required,
      min_values: field.required ? 1 : 0,
      max_values: 1,
      options: (field.choices ?? []).slice(0, 25).map((c) => ({
        label: clip(c.label, 100),
        value: c.value,
        ...(c.value === field.initial ? { default: true } : {}),
      })),
    };
  }
  return {
    type: 4,
    custom_id: field.name,
    style: field.kind === 'long_text' ? 2 : 1,
    required: field.required,
    max_length: field.kind === 'long_text' ? 1000 : 200,
    ...(field.initial ? { value: clip(field.initial, field.kind === 'long_text' ? 1000 : 200) } : {}),
  };
}

/**
 * The modal for a form; `commandLine` is what the submission runs (the form's command and
 * whatever is already known). Returns null when the line does not fit a custom_id.
 */
export function formModal(form: FormSpec, commandLine: string): Record<string, unknown> | null {
  const customId = `${MODAL_PREFIX}${commandLine.trim()}`;
  if (customId.length > CUSTOM_ID_MAX) return null;
  return {
    custom_id: customId,
    title: clip(form.title, 45),
    components: fitFields(form.fields).map((f) => ({
      type: 18,
      label: clip(f.label, 45),
      component: fieldComponent(f),
    })),
  };
}

export const isModalId = (customId: string) => customId.startsWith(MODAL_PREFIX) || customId.startsWith(SOURCE_PREFIX);
export const modalCommandLine = (customId: string) =>
  customId.startsWith(SOURCE_PREFIX) ? (customId.split('|')[3] ?? '') : customId.slice(MODAL_PREFIX.length);

/**
 * A form opened on a message ("Buat tiket dari pesan ini"): the custom_id carries the message's
 * channel and id (`s|<channel>|<message>|buka`), which Discord gives back with the submission.
 */
const SOURCE_PREFIX = 's|';

export function sourceFormModal(form: FormSpec, source: { channel: string; message: string }) {
  const modal = formModal(form, form.command);
  if (!modal) return null;
  const customId = `${SOURCE_PREFIX}${source.channel}|${source.message}|${form.command}`;
  return customId.length > CUSTOM_ID_MAX ? null : { ...modal, custom_id: customId };
}

/** The message a submitted form was opened on, if it was. */
export function modalSource(customId: string): { channel: string; message: string } | undefined {
  if (!customId.startsWith(SOURCE_PREFIX)) return undefined;
  const [, channel = '', message = ''] = customId.split('|');
  return /^\d+$/.test(channel) && /^\d+$/.test(message) ? { channel, message } : undefined;
}

/** The link to a Discord message. */
export const messageLink = (guildId: string | null, channel: string, message: string) =>
  `https://discord.com/channels/${guildId ?? '@me'}/${channel}/${message}`;

interface SubmittedComponent {
  customId?: string;
  value?: string;
  values?: readonly string[];
  component?: SubmittedComponent;
  components?: readonly SubmittedComponent[];
}

/** Submitted values by field name, whatever the layout (labels or action rows); blanks left out. */
export function submittedValues(components: readonly SubmittedComponent[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (c: SubmittedComponent) => {
    if (c.component) walk(c.component);
    for (const child of c.components ?? []) walk(child);
    if (!c.customId) return;
    const v = c.value ?? c.values?.[0] ?? '';
    if (v.trim()) out[c.customId] = v.trim();
  };
  for (const c of components ?? []) walk(c);
  return out;
}
