import type { SourceMessage } from '../../domain/source-message.js';
import type { FormField, FormSpec } from '../../reply.js';
import { clip } from './mrkdwn.js';

/** callback_id of every posko modal; what to run travels in private_metadata. */
export const FORM_CALLBACK = 'posko_form';
/** action_id of the single input element in each block (the block_id is the field name). */
const INPUT_ACTION = 'value';

/** Carried through the modal so the submission knows what to run, where, and for what. */
export interface FormContext {
  /** The command line the answers complete, e.g. "buka" or "tolak GGN-000042 permintaan=7". */
  line: string;
  /** Where the form was asked for: private answers go to this channel. */
  channel: string;
  /** The message the form was opened on (message shortcut), as Slack gave it. */
  source?: SourceMessage;
}

export interface ModalLabels {
  submit: string;
  close: string;
}

/** A FormSpec as a Slack modal: one input block per field, block_id = the option name. */
export function formModal(form: FormSpec, ctx: FormContext, labels: ModalLabels): Record<string, unknown> {
  return {
    type: 'modal',
    callback_id: FORM_CALLBACK,
    private_metadata: clip(JSON.stringify(ctx), 3000),
    title: { type: 'plain_text', text: clip(form.title, 24) },
    submit: { type: 'plain_text', text: clip(labels.submit, 24) },
    close: { type: 'plain_text', text: clip(labels.close, 24) },
    // A modal title holds 24 characters; a longer one (e.g. naming the ticket) is repeated in full.
    blocks: [
      ...(form.title.length > 24
        ? [{ type: 'section', text: { type: 'plain_text', text: clip(form.title, 3000) } }]
        : []),
      ...form.fields.map(inputBlock),
    ],
  };
}

function inputBlock(field: FormField): Record<string, unknown> {
  return {
    type: 'input',
    block_id: field.name,
    optional: !field.required,
    label: { type: 'plain_text', text: clip(field.label, 2000) },
    element: inputElement(field),
  };
}

function inputElement(field: FormField): Record<string, unknown> {
  if (field.kind === 'choice') {
    const options = (field.choices ?? []).map((c) => ({
      text: { type: 'plain_text', text: clip(c.label, 75) },
      value: c.value,
    }));
    const el: Record<string, unknown> = { type: 'static_select', action_id: INPUT_ACTION, options };
    const initial = options.find((o) => o.value === field.initial);
    if (initial) el.initial_option = initial;
    return el;
  }
  const el: Record<string, unknown> = {
    type: 'plain_text_input',
    action_id: INPUT_ACTION,
    multiline: field.kind === 'long_text',
  };
  if (field.initial) el.initial_value = field.initial;
  return el;
}

type StateValue = { type?: string; value?: string | null; selected_option?: { value: string } | null };

/** The submitted values as options (field name → text); empty inputs are left out. */
export function formValues(values: Record<string, Record<string, StateValue> | null>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(values)) {
    const v = actions?.[INPUT_ACTION] ?? Object.values(actions ?? {})[0];
    const text: unknown = v?.selected_option?.value ?? v?.value ?? '';
    // Slack sends strings; anything else in a submission is treated as left empty.
    if (typeof text === 'string' && text.trim() !== '') out[blockId] = text.trim();
  }
  return out;
}

export function readFormContext(privateMetadata: string | undefined): FormContext | undefined {
  try {
    const ctx = JSON.parse(privateMetadata ?? '') as FormContext;
    if (typeof ctx.line !== 'string' || typeof ctx.channel !== 'string') return undefined;
    const s = ctx.source;
    const source: SourceMessage | undefined =
      s && s.platform === 'slack' && typeof s.channel === 'string' && typeof s.message === 'string'
        ? {
            platform: 'slack',
            channel: s.channel,
            message: s.message,
            link: typeof s.link === 'string' ? s.link : null,
          }
        : undefined;
    return { line: ctx.line, channel: ctx.channel, ...(source ? { source } : {}) };
  } catch {
    return undefined;
  }
}
