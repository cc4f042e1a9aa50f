/**
 * Inbound safety on Discord, end to end with the real discord.js Client on the fake Discord:
 * a repeated interaction has one effect, a bad modal stores nothing, forms are prefilled, the
 * deliverer keeps threads, DMs and rate limits straight. One login for the file.
 */
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalations, outbox, roster, ticketEvents, tickets } from '../../src/db/schema.js';
import { RateLimited } from '../../src/outbox/types.js';
import { sameCustomer } from '../../src/services/ticket-store.js';
import { ANI, BUDI, CITRA, type DiscordHarness, DODI, startDiscordHarness } from './harness.js';

let h: DiscordHarness;
/** Server roles mapped by DISCORD_ROLE_MAP. */
const AGENTS_ROLE = '600000000000000001';
const LEADS_ROLE = '600000000000000002';
const EKO = '400000000000000005';

const customer = (n: number) => ({
  layanan: 'internet',
  id: `13310000${String(n).padStart(4, '0')}`,
  nama: 'Budi Santoso',
  kontak: '081298765432',
  keluhan: 'koneksi putus-putus',
});

async function eventCount() {
  const [row] = await h.core.db.select({ n: count() }).from(ticketEvents);
  return row!.n;
}

beforeAll(async () => {
  h = await startDiscordHarness({
    env: { DISCORD_ROLE_MAP: `${AGENTS_ROLE}=agent:b:violet,${LEADS_ROLE}=tl:b` },
    fake: {
      guildRoles: [
        { id: AGENTS_ROLE, name: 'Agent' },
        { id: LEADS_ROLE, name: 'Team Leader' },
      ],
    },
  });
  await h.slash(CITRA, 'peran', { pengguna: { user: BUDI }, peran: 'tl', tim: 'a' });
  await h.slash(CITRA, 'peran', { pengguna: { user: ANI }, peran: 'agent', tim: 'a' });
});

afterAll(async () => {
  await h?.close();
});

describe('Discord interactions', () => {
  it('a modal with a bad phone names the field and stores nothing', async () => {
    const before = await h.counts();
    const events = await eventCount();
    const opened = await h.slash(ANI, 'buka');
    const bad = await h.submit(ANI, opened.id, { ...customer(1), kontak: '12345' });
    const reply = h.privateReply(bad.id);
    expect(reply.content).toContain('kontak');
    expect(await h.counts()).toEqual(before);
    expect(await eventCount()).toBe(events);
    await h.deliver();
    expect(h.fake.messagesIn(h.fake.channelId)).toHaveLength(0);
  });

  it('P5.2 /tiket buka with some options opens the modal prefilled with them; the rest rides along', async () => {
    const opened = await h.slash(ANI, 'buka', { layanan: 'internet', nama: 'Budi Santoso', monita: 'IN12345678' });
    const modal = opened.callbacks[0].data;
    expect(opened.callbacks[0].type).toBe(9);
    const field = (name: string) =>
      modal.components.find((c: { component: { custom_id: string } }) => c.component.custom_id === name)?.component;
    expect(field('nama').value).toBe('Budi Santoso');
    expect(field('layanan').options.find((o: { default?: boolean }) => o.default)?.value).toBe('internet');
    // the MONITA id has no room among Discord's five fields, so it is carried in the submission
    expect(modal.custom_id).toContain('monita=IN12345678');
    const done = await h.submit(ANI, opened.id, { id: customer(2).id, kontak: '081298765432', keluhan: 'lambat' });
    expect(h.privateReply(done.id).content).toMatch(/GGN-\d{6}/);
    const [t] = await h.core.db
      .select()
      .from(tickets)
      .where(sameCustomer('internet', customer(2).id));
    expect(t).toMatchObject({ service: 'internet', customerName: 'Budi Santoso', monitaId: 'IN12345678' });
  });

  it('a repeated interaction id has one effect (slash command, modal submit, button click)', async () => {
    const first = await h.slash(ANI, 'buka', customer(3));
    const [opened] = await h.core.db
      .select()
      .from(tickets)
      .where(sameCustomer('internet', customer(3).id));
    const outboxBefore = (await h.counts()).outbox;
    await h.again(first.id);
    const rows = await h.core.db
      .select()
      .from(tickets)
      .where(sameCustomer('internet', customer(3).id));
    expect(rows).toHaveLength(1);
    // a second effect would have been a repeat contact on the open ticket (P5.3)
    expect(rows[0]!.repeatCount).toBe(opened!.repeatCount);
    expect((await h.counts()).outbox).toBe(outboxBefore);

    const form = await h.slash(ANI, 'buka');
    const submitted = await h.submit(ANI, form.id, customer(4));
    const ticketsBefore = (await h.counts()).tickets;
    const eventsBefore = await eventCount();
    await h.again(submitted.id);
    expect((await h.counts()).tickets).toBe(ticketsBefore);
    // (a second effect would be a repeat-contact event on the ticket just opened)
    expect(await eventCount()).toBe(eventsBefore);

    await h.deliver();
    const number = rows[0]!.number;
    await h.slash(ANI, 'eskalasi', { tiket: number, teks: 'perlu percepatan' });
    await h.deliver();
    const thread = h.fake.threadOf(h.fake.messagesIn(h.fake.channelId).find((m) => m.content.includes(number))!.id);
    const request = h.fake.messagesIn(thread.id).at(-1)!;
    const approve = h.customIds(request).find((id) => id.startsWith('c|setujui'))!;
    const click = await h.click(BUDI, request.id, approve);
    const events = await eventCount();
    await h.again(click.id);
    expect(await eventCount()).toBe(events);
    const decided = await h.core.db
      .select()
      .from(escalations)
      .where(eq(escalations.decidedBy, `discord:${BUDI}`));
    expect(decided).toHaveLength(1);
  });

  it("an interaction Discord already gave up on has no effect behind the user's back", async () => {
    const late = h.fake.slash(ANI, 'buka', customer(7));
    h.fake.expired.add(late.id);
    await h.interact(late);
    expect(
      await h.core.db
        .select()
        .from(tickets)
        .where(sameCustomer('internet', customer(7).id)),
    ).toHaveLength(0);
  });

  it('someone not on the roster gets a private refusal instead of a form', async () => {
    const stranger = await h.slash(DODI, 'buka');
    expect(stranger.callbacks[0].type).toBe(4);
    expect(stranger.callbacks[0].data.flags).toBe(64);
  });

  it('a ticket opened from inside a thread belongs to the team channel', async () => {
    const card = h.fake.messagesIn(h.fake.channelId)[0]!;
    const thread = h.fake.threadOf(card.id);
    const inThread = await h.interact(h.fake.slash(ANI, 'buka', customer(5), { channelId: thread.id }));
    expect(h.privateReply(inThread.id).content).toMatch(/GGN-\d{6}/);
    const [t] = await h.core.db
      .select()
      .from(tickets)
      .where(sameCustomer('internet', customer(5).id));
    expect(t?.channel).toBe(h.fake.channelId);
  });

  it('a 429 on a channel post becomes RateLimited, and the outbox delivers after Retry-After', async () => {
    await h.deliver();
    await h.slash(ANI, 'buka', customer(6));
    h.fake.rateLimitNext('POST', /^\/channels\/\d+\/messages$/, 3);
    expect(await h.deliver()).toBe(0);
    const [waiting] = await h.core.db.select().from(outbox).where(eq(outbox.status, 'pending'));
    expect(waiting).toBeDefined();
    h.advance(5_000);
    expect(await h.deliver()).toBeGreaterThan(0);
    const [t] = await h.core.db
      .select()
      .from(tickets)
      .where(sameCustomer('internet', customer(6).id));
    const cards = h.fake.messagesIn(h.fake.channelId).filter((m) => m.content.includes(t!.number));
    expect(cards).toHaveLength(1);

    h.fake.rateLimitNext('POST', /^\/channels\/\d+\/messages$/, 2);
    const error = await h.bot.deliverer
      .post(h.fake.channelId, { audience: 'channel', ticket: null, error: null, text: 'tes' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(RateLimited);
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(2000);
  });

  it('an outbox row sent again after its sender died lands once: Discord enforce_nonce with the row id', async () => {
    const reply = { audience: 'channel' as const, ticket: null, error: null, text: 'kartu yang terkirim dua kali' };
    const first = await h.bot.deliverer.post(h.fake.channelId, reply, undefined, 987_654);
    const again = await h.bot.deliverer.post(h.fake.channelId, reply, undefined, 987_654);
    expect(again.messageId).toBe(first.messageId);
    expect(h.fake.messagesIn(h.fake.channelId).filter((m) => m.content.includes('terkirim dua kali'))).toHaveLength(1);
    const posts = h.fake.calls.filter(
      (c) => c.method === 'POST' && c.path === `/channels/${h.fake.channelId}/messages`,
    );
    expect(posts.at(-1)?.body).toMatchObject({ nonce: 'posko-987654', enforce_nonce: true });
    // A different row is a different message.
    const other = await h.bot.deliverer.post(h.fake.channelId, reply, undefined, 987_655);
    expect(other.messageId).not.toBe(first.messageId);
  });

  it("the tiket option suggests the team's active tickets as you type, without customer data", async () => {
    const [t] = await h.core.db
      .select()
      .from(tickets)
      .where(sameCustomer('internet', customer(3).id));
    const all = await h.interact(h.fake.autocomplete(ANI, 'lihat', 'tiket', ''));
    expect(all.callbacks[0].type).toBe(8);
    expect(all.callbacks[0].data.choices.length).toBeGreaterThan(1);
    const asked = await h.interact(h.fake.autocomplete(ANI, 'lihat', 'tiket', t!.number.slice(-3).toLowerCase()));
    const choices: { name: string; value: string }[] = asked.callbacks[0].data.choices;
    expect(choices.map((c) => c.value)).toEqual([t!.number]);
    expect(JSON.stringify(choices)).not.toContain(customer(3).id);
    expect(JSON.stringify(choices)).not.toContain('Budi Santoso');
    const stranger = await h.interact(h.fake.autocomplete(DODI, 'lihat', 'tiket', ''));
    expect(stranger.callbacks[0].data.choices).toEqual([]);
  });

  it('DISCORD_ROLE_MAP enrols someone not on the roster from their server role; the roster still wins', async () => {
    h.fake.user(EKO, 'eko');
    const first = await h.interact(h.fake.slash(EKO, 'daftar', {}, { roles: [AGENTS_ROLE, LEADS_ROLE] }));
    expect(h.privateReply(first.id).content).not.toMatch(/belum terdaftar/);
    const [eko] = await h.core.db
      .select()
      .from(roster)
      .where(eq(roster.userKey, `discord:${EKO}`));
    expect(eko).toMatchObject({ role: 'team_leader', team: 'b', updatedBy: 'DISCORD_ROLE_MAP' });
    // ani is on the roster as an agent of team a: her server roles change nothing
    await h.interact(h.fake.slash(ANI, 'daftar', {}, { roles: [LEADS_ROLE] }));
    const [ani] = await h.core.db
      .select()
      .from(roster)
      .where(eq(roster.userKey, `discord:${ANI}`));
    expect(ani).toMatchObject({ role: 'agent', team: 'a' });
  });

  it('a direct message opens a DM channel and pings nobody else', async () => {
    const ref = await h.bot.deliverer.dm(`discord:${BUDI}`, {
      audience: 'channel',
      ticket: 'GGN-000001',
      error: null,
      text: `GGN-000001 · <@discord:${BUDI}> menunggu persetujuan @everyone`,
      mentions: [`discord:${BUDI}`],
    });
    const open = h.fake.calls.find((c) => c.path === '/users/@me/channels');
    expect(open?.body).toEqual({ recipient_id: BUDI });
    const dm = h.fake.messages.get(ref.messageId)!;
    expect(dm.content).toContain(`<@${BUDI}>`);
    expect(dm.allowed_mentions).toEqual({ parse: [], users: [BUDI], roles: [], replied_user: false });
  });
});
