/**
 * The neutral reply document every command and job produces. Adapters render it
 * (Block Kit on Slack, embeds + components on Discord, plain text on the console);
 * nothing platform-specific belongs here.
 */
import type { SourceMessage } from './domain/source-message.js';

export const ERROR_CODES = ['invalid_input', 'forbidden', 'not_found', 'conflict', 'unavailable'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** ephemeral: only the caller sees it; channel: the team channel; thread: the ticket's thread. */
export type Audience = 'ephemeral' | 'channel' | 'thread';

export interface ReplyField {
  label: string;
  value: string;
  /** Times inside `value`, for the renderer to show natively (see ReplyTime). */
  times?: ReplyTime[];
}

/**
 * A moment a message shows. The service decides which time and writes `text`, the plain fallback
 * as the customer's clock reads it with the zone's name ("3 Des 14.00 WITA"), into the text it
 * belongs to; each renderer replaces that text with its platform's own time formatting (Slack
 * `<!date^…>`, Discord `<t:…>`), so each viewer sees their own zone and a live countdown. The
 * console and every notification fallback keep `text`.
 */
export interface ReplyTime {
  /** Unix seconds. */
  unix: number;
  text: string;
}

export interface ChecklistLine {
  clause: string; // SOP clause id, e.g. "P5.11"
  label: string;
  state: 'done' | 'pending' | 'missing' | 'na';
}

export interface ReplyButton {
  /** Stable action id, e.g. "escalation.approve"; adapters route clicks back through commands. */
  actionId: string;
  label: string;
  /** The /tiket command line a click runs as the clicker, e.g. "setujui GGN-000042 permintaan=7". */
  command: string;
  /** Collect these fields first (e.g. a reject reason); their values join the command. */
  form?: FormSpec;
  style?: 'primary' | 'danger';
}

export interface Reply {
  audience: Audience;
  /** Ticket number (GGN-000042) the reply is about, or null. */
  ticket: string | null;
  error: ErrorCode | null;
  /** With `invalid_input`: the option (form field) the error is about, when it is one. */
  option?: string;
  /** Plain-text fallback; always names the ticket number when there is one. */
  text: string;
  /** Times inside `text`, for the renderer to show natively (see ReplyTime). */
  times?: ReplyTime[];
  title?: string;
  fields?: ReplyField[];
  checklist?: ChecklistLine[];
  /** History lines, oldest first (already localised and masked as the audience requires). */
  history?: string[];
  buttons?: ReplyButton[];
  /**
   * Platform user keys ("slack:U123") this message should notify. `text` writes every mention as
   * `<@userKey>`; adapters render those natively but let only these ones ping.
   */
  mentions?: string[];
  /** Optional form the adapter may open instead of running (e.g. `buka` with no options). */
  form?: FormSpec;
  /** Files to upload with the message (the digest's chart, an export): see ReplyFile. */
  files?: ReplyFile[];
}

/**
 * A file the reporting room wrote on this server; adapters upload it (Slack files.uploadV2, a
 * Discord attachment) and the console prints its path.
 */
export interface ReplyFile {
  path: string;
  /** The name people see, e.g. `ringkasan-20261203-1500.png`. */
  name: string;
  title: string;
  mime: 'image/png' | 'text/csv';
}

export interface FormField {
  name: string;
  label: string;
  kind: 'text' | 'long_text' | 'choice';
  required: boolean;
  choices?: { value: string; label: string }[];
  initial?: string;
}

export interface FormSpec {
  /** The command the form submits to, e.g. "buka"; values come back as options. */
  command: string;
  title: string;
  fields: FormField[];
  /** Options and positionals already known (e.g. from the button's command), kept through the form. */
  context?: string;
  /** The chat message the form was opened on: adapters carry it to the submission (never as typed text). */
  source?: SourceMessage;
}
