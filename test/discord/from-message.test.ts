/**
 * DESIGN §8 on Discord: the message command "Buat tiket dari pesan ini" opens the `buka` form
 * prefilled from the message; a message makes at most one ticket, even with two submits at once.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceMessages, tickets } from '../../src/db/schema.js';
import { buildRegistrationPayload } from '../../src/platforms/discord/registration.js';
import { ANI, BUDI, CITRA, type DiscordHarness, startDiscordHarness } from './harness.js';

const COMMAND = 'Buat tiket dari pesan ini';
let h: DiscordHarness;

beforeAll(async () => {
  h = await startDiscordHarness();
  await h.slash(CITRA, 'peran', { pengguna: { user: BUDI }, peran: 'tl', tim: 'a' });
  await h.slash(CITRA, 'peran', { pengguna: { user: ANI }, peran: 'agent', tim: 'a' });
});
afterAll(async () => {
  await h?.close();
});

const CUSTOMER = { layanan: 'internet', id: '133100009999', nama: 'Sari Dewi', kontak: '081277776666' };

type ModalRow = { component: { custom_id: string; value?: string } };
const modalOf = (callbacks: { type: number; data?: unknown }[]) =>
  callbacks.find((c) => c.type === 9)?.data as { custom_id: string; components: ModalRow[] } | undefined;

describe('ticket from a message (Discord message command)', () => {
  it('registers the message command under its exact name', () => {
    const registered = buildRegistrationPayload();
    expect(registered.find((c) => c.name === COMMAND)).toMatchObject({ type: 3, options: [] });
  });

  it('P5.2 opens the buka form prefilled with the message text; submitting makes the ticket with the link', async () => {
    const msg = { id: '700000000000000001', content: 'pelanggan 081277776666: internet mati total @everyone' };
    const opened = await h.messageCommand(ANI, COMMAND, msg);
    const modal = modalOf(opened.callbacks);
    const keluhan = modal?.components.find((r) => r.component.custom_id === 'keluhan')?.component.value;
    expect(keluhan).toContain('internet mati total');
    const submitted = await h.submit(ANI, opened.id, { ...CUSTOMER, keluhan: msg.content });
    expect(h.privateReply(submitted.id).content).toMatch(/GGN-\d{6}/);
    const [t] = await h.core.db.select().from(tickets);
    expect(t?.sourceLink).toBe(`https://discord.com/channels/${h.fake.guildId}/${h.fake.channelId}/${msg.id}`);
    const [src] = await h.core.db.select().from(sourceMessages);
    expect(src).toMatchObject({ platform: 'discord', message: msg.id, ticketId: t?.id });
    await h.deliver();
    const card = h.fake.messagesIn(h.fake.channelId).find((m) => m.content.includes(t?.number ?? '?'));
    const shown = h.shown(card!);
    expect(shown).toContain(msg.id); // the link to the message
    expect(shown).not.toContain('081277776666');
  });

  it('P5.3 used again on the same message: no form, the ticket it made is named', async () => {
    const [t] = await h.core.db.select().from(tickets);
    const again = await h.messageCommand(BUDI, COMMAND, { id: '700000000000000001', content: 'lagi' });
    expect(modalOf(again.callbacks)).toBeUndefined();
    expect(h.privateReply(again.id).content).toContain(t?.number);
    expect(await h.core.db.select().from(tickets)).toHaveLength(1);
  });

  it('P5.3 two submits of one message at once make one ticket', async () => {
    const msg = { id: '700000000000000002', content: 'telepon rumah tidak ada nada' };
    const a = await h.messageCommand(ANI, COMMAND, msg);
    const b = await h.messageCommand(BUDI, COMMAND, msg);
    const intake = {
      layanan: 'telepon',
      id: '0217770002',
      nama: 'Agus Salim',
      kontak: '0217770002',
      keluhan: msg.content,
    };
    const [ra, rb] = await Promise.all([h.submit(ANI, a.id, intake), h.submit(BUDI, b.id, intake)]);
    const made = (await h.core.db.select().from(tickets)).filter((t) => t.customerName === 'Agus Salim');
    expect(made).toHaveLength(1);
    expect(made[0]?.repeatCount).toBe(0);
    const rows = await h.core.db.select().from(sourceMessages).where(eq(sourceMessages.message, msg.id));
    expect(rows).toHaveLength(1);
    for (const r of [ra, rb]) expect(h.privateReply(r.id).content).toContain(made[0]?.number);
  });
});
