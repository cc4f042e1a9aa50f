import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceMessages, ticketEvents, tickets } from '../../src/db/schema.js';
import { CHANNEL, channelText, type SlackHarness, startSlackHarness } from './harness.js';

/** DESIGN §8: "Buat tiket dari pesan ini" — the message shortcut `tiket_dari_pesan` on Slack. */
const AGENT = 'UAGENTM1';
const AGENT2 = 'UAGENTM2';
let h: SlackHarness;

beforeAll(async () => {
  h = await startSlackHarness();
  await h.command('USPV', `peran <@${AGENT}> agent tim=a`);
  await h.command('USPV', `peran <@${AGENT2}> agent tim=a`);
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const CUSTOMER = { layanan: 'indihome', id: '122123457777', nama: 'Rina Kartika', kontak: '081299997777' };
const MESSAGE = { ts: '1700000100.000100', text: 'Pelanggan 081299997777 lapor internet mati sejak pagi <!channel>' };

const modalField = (view: Record<string, unknown>, name: string) =>
  (view.blocks as { block_id?: string; element?: { initial_value?: string } }[]).find((b) => b.block_id === name);

describe('ticket from a message (Slack message shortcut)', () => {
  it('P5.2 the shortcut opens the buka modal with the message as the complaint', async () => {
    const r = await h.shortcut(AGENT, MESSAGE, { trigger: 'shortcut.trigger.1' });
    expect(r.status).toBe(200);
    const open = h.api.ok('views.open').at(-1);
    expect(open?.args.trigger_id).toBe('shortcut.trigger.1');
    const view = h.lastModal();
    // The agent's own form: the text as written, with the broadcast defused.
    expect(modalField(view, 'keluhan')?.element?.initial_value).toContain('internet mati sejak pagi');
    expect(modalField(view, 'keluhan')?.element?.initial_value).not.toContain('<!channel>');
    expect(String(view.private_metadata)).toContain(MESSAGE.ts);
  });

  it('P5.4 submitting makes the ticket with the link to the message; the card masks the complaint', async () => {
    const view = h.lastModal();
    const complaint = modalField(view, 'keluhan')?.element?.initial_value ?? '';
    const r = await h.submit(AGENT, { ...CUSTOMER, keluhan: complaint });
    expect(r.status).toBe(200);
    const [t] = await h.core.db.select().from(tickets);
    expect(t?.sourceLink).toBe(`https://posko-test.slack.com/archives/${CHANNEL}/p1700000100000100`);
    const [src] = await h.core.db.select().from(sourceMessages);
    expect(src).toMatchObject({ platform: 'slack', channel: CHANNEL, message: MESSAGE.ts, ticketId: t?.id });
    await h.deliver();
    const text = channelText(h.api);
    expect(text).toContain(t?.number);
    expect(text).toContain('p1700000100000100');
    expect(text).not.toContain('081299997777');
  });

  it('P5.3 the shortcut used again on the same message answers with that ticket, no form', async () => {
    const [t] = await h.core.db.select().from(tickets);
    const modals = h.api.ok('views.open').length;
    const r = await h.shortcut(AGENT2, MESSAGE);
    expect(h.api.ok('views.open')).toHaveLength(modals);
    expect(JSON.stringify(r.responses.at(-1)?.body)).toContain(t?.number);
    expect(await h.core.db.select().from(tickets)).toHaveLength(1);
  });

  it('P5.3 two concurrent submits from one message make one ticket; the other is told which', async () => {
    const msg = { ts: '1700000200.000200', text: 'gangguan telepon rumah, nada sibuk terus' };
    await h.shortcut(AGENT, msg);
    const customer = {
      layanan: 'telepon',
      id: '0215550001',
      nama: 'Bayu Aji',
      kontak: '0215550001',
      keluhan: msg.text,
    };
    const before = (await h.core.db.select().from(tickets)).length;
    const answers = await Promise.all([h.submit(AGENT, customer), h.submit(AGENT2, customer)]);
    for (const a of answers) expect(a.status).toBe(200);
    const rows = await h.core.db.select().from(tickets);
    expect(rows).toHaveLength(before + 1);
    const made = rows.find((r) => r.customerName === 'Bayu Aji');
    const sources = await h.core.db.select().from(sourceMessages).where(eq(sourceMessages.message, msg.ts));
    expect(sources).toHaveLength(1);
    expect(sources[0]?.ticketId).toBe(made?.id);
    // Neither a repeat contact: the second submit changed nothing and was answered with the ticket.
    expect(made?.repeatCount).toBe(0);
    const told = h.api
      .ok('chat.postEphemeral')
      .slice(-2)
      .map((c) => String(c.args.text));
    expect(told.every((text) => text.includes(made?.number ?? '?'))).toBe(true);
  });

  it('P5.3 a message about a customer with an open ticket is a repeat contact on it, and stays tied to it', async () => {
    // Sealed columns cannot be compared in SQL: find the customer's ticket in the rows.
    const first = (await h.core.db.select().from(tickets)).find((t) => t.customerName === 'Rina Kartika');
    const msg = { ts: '1700000300.000300', text: 'pelanggan telepon lagi, masih mati' };
    await h.shortcut(AGENT2, msg);
    await h.submit(AGENT2, { ...CUSTOMER, keluhan: msg.text });
    const [after] = await h.core.db
      .select()
      .from(tickets)
      .where(eq(tickets.id, first?.id ?? 0));
    expect(after?.repeatCount).toBe(1);
    const events = await h.core.db
      .select()
      .from(ticketEvents)
      .where(eq(ticketEvents.ticketId, first?.id ?? 0));
    expect(events.filter((e) => e.type === 'repeat_contact')).toHaveLength(1);
    // Used again: the same ticket named, no second repeat counted.
    const again = await h.shortcut(AGENT, msg);
    expect(JSON.stringify(again.responses.at(-1)?.body)).toContain(first?.number);
    const [still] = await h.core.db
      .select()
      .from(tickets)
      .where(eq(tickets.id, first?.id ?? 0));
    expect(still?.repeatCount).toBe(1);
  });
});
