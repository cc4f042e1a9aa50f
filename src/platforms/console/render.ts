import type { Translate } from '../../i18n/index.js';
import type { Reply } from '../../reply.js';
import { TICKET_LINK } from '../../reports/links.js';

const MARK: Record<string, string> = { done: '[x]', pending: '[ ]', missing: '[!]', na: '[-]' };

/** `<@console:ani>` → `@ani`: on the console a user key's id is the person's name. */
export const plainMentions = (text: string) => text.replace(/<@[a-z]+:([^>]+)>/g, '@$1').replace(TICKET_LINK, '$1 $2');

/** A reply as terminal text: where it went, then its text, fields, checklist and history. */
export function renderPlain(reply: Reply, t: Translate): string {
  if (reply.audience === 'thread' && !reply.error) return renderThreadLine(reply);
  const where = reply.error
    ? `✗ ${reply.error}`
    : reply.audience === 'ephemeral'
      ? '»'
      : reply.audience === 'channel'
        ? t('console.channel')
        : `  ↳ ${t('console.thread', { ticket: reply.ticket ?? '' })}`;
  const out = [`${where} ${plainMentions(reply.text)}`];
  if (reply.title && reply.fields?.length) {
    out.push(`  ┌ ${reply.title}`);
    // A value of several lines (the digest's list) keeps the frame: each line under the label.
    for (const f of reply.fields) out.push(`  │ ${f.label}: ${plainMentions(f.value).replace(/\n/g, '\n  │   ')}`);
  }
  for (const c of reply.checklist ?? []) out.push(`  │ ${MARK[c.state] ?? '[ ]'} ${c.clause} ${c.label}`);
  for (const h of reply.history ?? []) out.push(`  │ · ${plainMentions(h)}`);
  for (const b of reply.buttons ?? []) out.push(`  [${b.label}] → /tiket ${b.command}`);
  // The console's upload is the file's path on this machine.
  for (const f of reply.files ?? []) out.push(`  📎 ${f.title}: ${f.path}`);
  return out.join('\n');
}

/**
 * A thread message as one line: the number once (thread texts mostly name it already), the
 * message's own lines joined; a button still shows the command it runs.
 */
function renderThreadLine(reply: Reply): string {
  const text = plainMentions(reply.text).split('\n').filter(Boolean).join(' · ');
  const number = reply.ticket && !text.includes(reply.ticket) ? `${reply.ticket} · ` : '';
  const out = [`  ↳ ${number}${text}`];
  for (const b of reply.buttons ?? []) out.push(`    [${b.label}] → /tiket ${b.command}`);
  return out.join('\n');
}

/**
 * The ⚓ --json line: the reply document plus the input line it answers (null for jobs). People
 * are `@name` everywhere in it — text, fields, history and the mentions list alike.
 */
export function renderJson(reply: Reply, line: number | null): string {
  const doc: Reply & { line: number | null } = { ...reply, text: plainMentions(reply.text), line };
  if (reply.fields) doc.fields = reply.fields.map((f) => ({ ...f, value: plainMentions(f.value) }));
  if (reply.history) doc.history = reply.history.map(plainMentions);
  if (reply.mentions) doc.mentions = reply.mentions.map((key) => plainMentions(`<@${key}>`));
  return JSON.stringify(doc);
}
