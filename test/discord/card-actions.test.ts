/**
 * One-click actions on the ticket card on Discord (issue 16.3): a close by buttons, a refusal
 * for a role that may not use a button, and a stale click after the ticket closed.
 */
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ticketEvents, tickets } from '../../src/db/schema.js';
import { cardStepForm, ticketCard } from '../../src/services/present.js';
import { ANI, BUDI, CITRA, type DiscordHarness, DODI, startDiscordHarness } from './harness.js';

let h: DiscordHarness;

beforeAll(async () => {
  h = await startDiscordHarness();
  await h.slash(CITRA, 'peran', { pengguna: { user: BUDI }, peran: 'tl', tim: 'a' });
  await h.slash(CITRA, 'peran', { pengguna: { user: ANI }, peran: 'agent', tim: 'a' });
  await h.slash(CITRA, 'peran', { pengguna: { user: DODI }, peran: 'agent', tim: 'a' });
});
afterAll(async () => {
  await h?.close();
});

async function openCard(id: string) {
  await h.slash(ANI, 'buka', {
    layanan: 'internet',
    id,
    nama: 'Joko Widodo',
    kontak: '081255556666',
    keluhan: 'internet lambat',
  });
  await h.deliver();
  const rows = await h.core.db.select().from(tickets).orderBy(tickets.id);
  const t = rows.at(-1)!;
  const card = h.fake.messagesIn(h.fake.channelId).find((m) => m.content.includes(t.number))!;
  return { t, card };
}
const button = (card: { components: { components?: { custom_id: string }[] }[] }, prefix: string) =>
  card.components.flatMap((r) => r.components ?? []).find((c) => c.custom_id.startsWith(prefix))?.custom_id;
const eventsOf = async (id: number) =>
  (await h.core.db.select({ n: count() }).from(ticketEvents).where(eq(ticketEvents.ticketId, id)))[0]!.n;

describe('buttons on the Discord ticket card', () => {
  it('P5.11 P5.12 a close by buttons: confirm in a form, then close with the standard offer', async () => {
    const { t, card } = await openCard('133100001001');
    expect(button(card, 'c|tutup')).toBeUndefined();
    // The SLA deadline: Discord's timestamp and live countdown.
    expect(h.shown(card)).toMatch(/<t:\d+:f> \(<t:\d+:R>\)/);
    const confirm = await h.click(ANI, card.id, button(card, 'f|konfirmasi')!);
    expect(confirm.callbacks[0].type).toBe(9);
    await h.submit(ANI, confirm.id, { hasil: 'ok', teks: 'sudah normal' });
    await h.deliver();
    const close = button(card, 'c|tutup')!;
    expect(close).toBe(`c|tutup ${t.number} tawaran=ya`);
    const closed = await h.click(ANI, card.id, close);
    expect(h.privateReply(closed.id).content).toContain(t.number);
    const [row] = await h.core.db.select().from(tickets).where(eq(tickets.id, t.id));
    expect(row?.status).toBe('closed');
    await h.deliver();
    expect(card.components).toEqual([]);
  });

  it('P5.9 A8 the call button opens its whole form in the clicker’s language, rebuilt from the card step (the same after a restart)', async () => {
    const { t, card } = await openCard('133100001004');
    const click = h.fake.click(ANI, card.id, button(card, 'f|hubungi')!);
    click.locale = 'en-US';
    const opened = await h.interact(click);
    const modal = opened.callbacks.find((c: { type: number }) => c.type === 9)?.data;
    expect(modal.title).toBe(`Call ${t.number}`);
    const fields = modal.components.map((c: { component: { custom_id: string; options?: { label: string }[] } }) => ({
      id: c.component.custom_id,
      options: c.component.options?.map((o) => o.label),
    }));
    expect(fields.map((f: { id: string }) => f.id)).toEqual(['hasil', 'jam', 'teks']);
    expect(fields[0].options).toContain('connected');
  });

  it('after a restart a card step rebuilds the form its button showed, from the command line alone', async () => {
    const { t } = await openCard('133100001005');
    const viewer = h.core;
    const shown = (ticketCard(viewer, t).buttons ?? []).filter((b) => b.form);
    expect(shown.length).toBeGreaterThan(0);
    for (const b of shown) expect(cardStepForm(viewer, b.command)).toEqual(b.form);
    expect(cardStepForm(viewer, 'tolak GGN-000042 permintaan=7')).toBeUndefined();
  });

  it('A11 a button is refused for a role that may not use it and changes nothing', async () => {
    const { t, card } = await openCard('133100001002');
    const before = await eventsOf(t.id);
    const take = await h.click(DODI, card.id, button(card, 'c|ambil')!);
    expect(h.privateReply(take.id).content).toMatch(/tidak boleh/);
    const inform = await h.click(DODI, card.id, button(card, 'f|kabari')!);
    const sent = await h.submit(DODI, inform.id, { teks: 'sudah dikabari' });
    expect(h.privateReply(sent.id).content).toMatch(/Hanya penanggung jawab/);
    expect(await eventsOf(t.id)).toBe(before);
  });

  it('P5.12 a stale click after the ticket closed is refused privately and changes nothing', async () => {
    const { t, card } = await openCard('133100001003');
    const stale = h.fake.click(BUDI, card.id, button(card, 'c|ambil')!);
    await h.slash(ANI, 'konfirmasi', { tiket: t.number, hasil: 'ok' });
    await h.slash(ANI, 'tutup', { tiket: t.number, tawaran: 'ya' });
    const before = await eventsOf(t.id);
    const r = await h.interact(stale);
    expect(h.privateReply(r.id).content).toContain('sudah ditutup');
    expect(await eventsOf(t.id)).toBe(before);
    const [row] = await h.core.db.select().from(tickets).where(eq(tickets.id, t.id));
    expect(row?.assignee).toBe(`discord:${ANI}`);
  });
});
