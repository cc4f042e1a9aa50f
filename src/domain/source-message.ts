/**
 * A chat message a ticket is made from (Slack message shortcut `tiket_dari_pesan`, Discord message
 * command "Buat tiket dari pesan ini"). The adapter reads it from the platform's own payload — a
 * person cannot type one — and carries it through the `buka` form to the command; the store keeps
 * one ticket per message (source_messages).
 */
export interface SourceMessage {
  platform: 'slack' | 'discord';
  channel: string;
  /** Slack message ts, Discord message id. */
  message: string;
  /** Slack permalink, Discord message link; null when the platform did not give one. */
  link: string | null;
  /** The message's text: the complaint the form is prefilled with (only when opening the form). */
  text?: string;
}
