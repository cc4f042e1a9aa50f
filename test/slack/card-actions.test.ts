import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ticketEvents, tickets } from '../../src/db/schema.js';
import { type FoundButton, type SlackHarness, startSlackHarness } from './harness.js';

/**
 * One-click actions on the ticket card (issue 16.3): the buttons the state allows, each running
 * the same command as the slash command as the clicker, refused (privately, changing nothing)
 * for a role that may not use it or when the state moved on.
 */
const AGENT = 'UAGENTC1';
const OTHER = 'UAGENTC2';
const TL = 'UTLEADC1';
const STRANGER = 'USTRANGER';
let h: SlackHarness;

beforeAll(async () => {
  h = await startSlackHarness();
  await h.command('USPV', `peran <@${AGENT}> agent tim=a`);
  await h.command('USPV', `peran <@${OTHER}> agent tim=a`);
  await h.command('USPV', `peran <@${TL}> tl tim=a`);
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const STEPS = ['take', 'call', 'inform', 'confirm', 'close'] as const;

async function openTicket(id: string) {
  await h.command(
    AGENT,
    `buka layanan=indihome id=${id} nama="Wulan Sari" kontak=081233334444 keluhan="internet mati"`,
  );
  await h.deliver();
  const [row] = await h.core.db
    .select()
    .from(tickets)
    .orderBy(tickets.id)
    .limit(1)
    .offset((await ticketCount()) - 1);
  return row!;
}
const ticketCount = async () => (await h.core.db.select({ n: count() }).from(tickets))[0]!.n;
const eventsOf = async (ticketId: number) =>
  (await h.core.db.select({ n: count() }).from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId)))[0]!.n;
const cardButton = (number: string, step: string): FoundButton | undefined =>
  h.buttons(`ticket.${step}`).find((b) => JSON.parse(b.value).c.includes(number));
/** What a click or a form's submission answered privately (response_url or chat.postEphemeral). */
const lastPrivate = (r?: { responses: { body: unknown }[] }) =>
  JSON.stringify(r?.responses.at(-1)?.body ?? h.api.ok('chat.postEphemeral').at(-1)?.args.text);

/** Clicks a card button as `user`; a button with a form is submitted with `values`. */
async function press(user: string, button: FoundButton, values: Record<string, string> = {}) {
  const modals = h.api.ok('views.open').length;
  const click = await h.click(user, button);
  if (h.api.ok('views.open').length > modals) {
    await h.submit(user, values);
    return { responses: [] as { body: unknown }[], viaForm: true };
  }
  return { responses: click.responses, viaForm: false };
}

describe('buttons on the ticket card', () => {
  it('P5.6 the open card offers take over, call, inform, confirm; not close before the confirmation', async () => {
    const t = await openTicket('122123451001');
    for (const step of ['take', 'call', 'inform', 'confirm']) expect(cardButton(t.number, step)).toBeDefined();
    expect(cardButton(t.number, 'close')).toBeUndefined();
    // The SLA deadline in the card is Slack's date formatting, its fallback the customer's clock (WIB).
    const card = h.api.ok('chat.postMessage').find((c) => String(c.args.text).includes(t.number) && !c.args.thread_ts);
    expect(JSON.stringify(card?.args.blocks)).toMatch(/<!date\^\d+\^\{date_short_pretty\} \{time\}\|[^>]* WIB>/);
  });

  it('A11 every card button is refused for a role that may not use it, and nothing changes', async () => {
    const [t] = await h.core.db.select().from(tickets);
    const values: Record<string, Record<string, string>> = {
      call: { hasil: 'tersambung' },
      inform: { teks: 'teknisi dijadwalkan' },
      confirm: { hasil: 'ok' },
    };
    const before = await eventsOf(t!.id);
    // Take over: team leaders and supervisors only; the rest: the assignee, TL, SPV (not another agent).
    const refusals: [string, string][] = [
      ['take', AGENT],
      ['take', STRANGER],
      ['call', OTHER],
      ['inform', OTHER],
      ['confirm', OTHER],
      ['call', STRANGER],
    ];
    for (const [step, user] of refusals) {
      const r = await press(user, cardButton(t!.number, step)!, values[step]);
      expect(lastPrivate(r), `${step} by ${user}`).toMatch(/tidak boleh|belum terdaftar|Hanya penanggung jawab/);
    }
    expect(await eventsOf(t!.id)).toBe(before);
    const [same] = await h.core.db.select().from(tickets).where(eq(tickets.id, t!.id));
    expect(same).toMatchObject({ status: 'open', assignee: `slack:${AGENT}` });
  });

  it('P5.11 P5.12 a close by buttons: confirm (form) then close with the standard offer', async () => {
    const [t] = await h.core.db.select().from(tickets);
    await press(AGENT, cardButton(t!.number, 'call')!, { hasil: 'tersambung' });
    await press(AGENT, cardButton(t!.number, 'confirm')!, { hasil: 'ok', teks: 'sudah normal' });
    await h.deliver();
    const close = cardButton(t!.number, 'close');
    expect(close).toBeDefined();
    expect(cardButton(t!.number, 'confirm')).toBeUndefined();
    await press(AGENT, close!);
    const [closed] = await h.core.db.select().from(tickets).where(eq(tickets.id, t!.id));
    expect(closed?.status).toBe('closed');
    const events = await h.core.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, t!.id));
    expect(events.find((e) => e.type === 'closed')?.payload).toMatchObject({ offer: true });
    await h.deliver();
    // The closed card carries no buttons.
    for (const step of STEPS) expect(cardButton(t!.number, step)).toBeUndefined();
  });

  it('P5.12 a stale click after the ticket closed is refused privately and changes nothing', async () => {
    const t = await openTicket('122123451002');
    const stale = { take: cardButton(t.number, 'take')!, call: cardButton(t.number, 'call')! };
    await h.command(AGENT, `konfirmasi ${t.number} hasil=ok`);
    await h.command(AGENT, `tutup ${t.number} tawaran=ya`);
    const before = await eventsOf(t.id);
    const r = await press(TL, stale.take);
    expect(lastPrivate(r)).toContain(t.number);
    expect(lastPrivate(r)).toMatch(/ditutup/);
    await press(AGENT, stale.call, { hasil: 'tersambung' });
    expect(lastPrivate()).toMatch(/ditutup/);
    expect(await eventsOf(t.id)).toBe(before);
    const [still] = await h.core.db.select().from(tickets).where(eq(tickets.id, t.id));
    expect(still).toMatchObject({ status: 'closed', assignee: `slack:${AGENT}` });
  });

  it('P5.6 a team leader takes over by the button', async () => {
    const t = await openTicket('122123451003');
    await press(TL, cardButton(t.number, 'take')!);
    const [taken] = await h.core.db.select().from(tickets).where(eq(tickets.id, t.id));
    expect(taken?.assignee).toBe(`slack:${TL}`);
  });
});
