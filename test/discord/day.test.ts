/**
 * The core issue's scripted day, driven through Discord: the real discord.js Client logged in to
 * the fake Discord, the real posko core on a real database, the outbox delivered through the
 * Discord deliverer. One login for the whole file; the steps run in order.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalations, tickets } from '../../src/db/schema.js';
import { EPHEMERAL, type FakeMessage } from '../fakes/discord/fake-discord.js';
import { ANI, BUDI, CITRA, type DiscordHarness, startDiscordHarness } from './harness.js';

let h: DiscordHarness;
const PHONE = '081234567890';
const CUSTOMER_ID = '122123456789';
const intake = {
  layanan: 'indihome',
  id: CUSTOMER_ID,
  nama: 'Siti Rahma',
  kontak: PHONE,
  keluhan: 'internet mati sejak pagi @everyone @here',
};

beforeAll(async () => {
  h = await startDiscordHarness();
});

afterAll(async () => {
  await h?.close();
});

const card = () => h.fake.messagesIn(h.fake.channelId)[0]!;
const threadMessages = () => h.fake.messagesIn(h.fake.threadOf(card().id)!.id);
const lastInThread = () => threadMessages().at(-1)!;

describe('Discord: the scripted day', () => {
  it('the supervisor sets up the team with native user options', async () => {
    const tl = await h.slash(CITRA, 'peran', { pengguna: { user: BUDI }, peran: 'tl', tim: 'a' });
    expect(h.privateReply(tl.id).content).toContain(`<@${BUDI}>`);
    const agent = await h.slash(CITRA, 'peran', { pengguna: { user: ANI }, peran: 'agent', tim: 'a' });
    expect(h.privateReply(agent.id).content).toContain(`<@${ANI}>`);
  });

  it('P5.2 /tiket buka with no options opens the intake modal', async () => {
    const opened = await h.slash(ANI, 'buka');
    expect(opened.callbacks).toHaveLength(1);
    expect(opened.callbacks[0].type).toBe(9);
    const modal = opened.callbacks[0].data;
    const fields = modal.components.map((c: { component: { custom_id: string } }) => c.component.custom_id);
    expect(fields).toEqual(['layanan', 'id', 'nama', 'kontak', 'keluhan']);
    const submitted = await h.submit(ANI, opened.id, intake);
    expect(h.privateReply(submitted.id).content).toMatch(/GGN-\d{6}/);
    // the opener handles the ticket: the full data, privately
    expect(h.shown(h.privateReply(submitted.id))).toContain(CUSTOMER_ID);
  });

  it('P5.4 the card is posted as an embed in the channel and a thread is started on it', async () => {
    await h.deliver();
    const posted = h.fake.messagesIn(h.fake.channelId);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.content).toContain('GGN-000001');
    expect(posted[0]!.embeds[0]?.title).toContain('GGN-000001');
    const thread = h.fake.threadOf(posted[0]!.id);
    expect(thread?.name).toContain('GGN-000001');
    const [row] = await h.core.db.select().from(tickets);
    expect(row?.cardRef).toMatchObject({ platform: 'discord', channel: h.fake.channelId, threadId: thread.id });
  });

  it('P5.3 the same customer again gives the same number, noted in the thread', async () => {
    const again = await h.slash(ANI, 'buka', intake);
    expect(h.privateReply(again.id).content).toContain('GGN-000001');
    await h.deliver();
    expect(h.fake.messagesIn(h.fake.channelId)).toHaveLength(1);
    expect(lastInThread().content).toContain('GGN-000001');
  });

  it('P5.10 an escalation request lands in the thread with approve and reject buttons for the team leader', async () => {
    const asked = await h.slash(ANI, 'eskalasi', { tiket: 'GGN-000001', teks: 'ODP rusak, perlu percepatan' });
    expect(h.privateReply(asked.id).content).toContain('GGN-000001');
    await h.deliver();
    const request = lastInThread();
    expect(h.customIds(request).some((id) => id.startsWith('c|setujui GGN-000001'))).toBe(true);
    expect(h.customIds(request).some((id) => id.startsWith('f|tolak GGN-000001'))).toBe(true);
    // the approvers are pinged as users, and only they
    expect(request.allowed_mentions.users).toContain(BUDI);
    expect(request.content).toContain(`<@${BUDI}>`);
  });

  it("P5.10 the requester's own click is refused privately and changes nothing", async () => {
    const request = lastInThread();
    const approveId = h.customIds(request).find((id) => id.startsWith('c|setujui'))!;
    const click = await h.click(ANI, request.id, approveId);
    const refusal = h.privateReply(click.id);
    expect(refusal.flags & EPHEMERAL).toBe(EPHEMERAL);
    await h.deliver();
    expect(request.edits).toBe(0);
    const [e] = await h.core.db.select().from(escalations);
    expect(e?.status).toBe('pending');
  });

  it("P5.10 the team leader's click approves, and the request message shows who decided instead of buttons", async () => {
    const request = lastInThread();
    const approveId = h.customIds(request).find((id) => id.startsWith('c|setujui'))!;
    const click = await h.click(BUDI, request.id, approveId);
    expect(h.privateReply(click.id).content).toContain('GGN-000001');
    await h.deliver();
    expect(request.edits).toBe(1);
    expect(request.components).toEqual([]);
    expect(request.content).toContain(`<@${BUDI}>`);
    const [e] = await h.core.db.select().from(escalations);
    expect(e?.status).toBe('approved');
    expect(e?.decidedBy).toBe(`discord:${BUDI}`);
  });

  it('P5.10 reject asks for a reason in a modal, then edits the request', async () => {
    await h.slash(ANI, 'eskalasi', { tiket: 'GGN-000001', ke: 'spv', teks: 'belum ada teknisi' });
    await h.deliver();
    const request = lastInThread();
    const rejectId = h.customIds(request).find((id) => id.startsWith('f|tolak'))!;
    const click = await h.click(CITRA, request.id, rejectId);
    expect(click.callbacks[0].type).toBe(9);
    const reason = click.callbacks[0].data.components[0].component;
    expect(reason.custom_id).toBe('teks');
    const submitted = await h.submit(CITRA, click.id, { teks: 'teknisi sudah dijadwalkan besok' });
    expect(h.privateReply(submitted.id).content).toContain('GGN-000001');
    await h.deliver();
    expect(request.components).toEqual([]);
    const rows = await h.core.db.select().from(escalations).where(eq(escalations.status, 'rejected'));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.decisionNote).toBe('teknisi sudah dijadwalkan besok');
  });

  it('P5.11 P5.12 closing before the customer confirmed is a conflict naming the confirmation', async () => {
    const early = await h.slash(ANI, 'tutup', { tiket: 'GGN-000001' });
    expect(h.privateReply(early.id).content).toMatch(/konfirmasi/i);
    const [row] = await h.core.db.select().from(tickets);
    expect(row?.status).not.toBe('closed');
  });

  it('P5.7 after confirmation, closing shows the standard sentence; its button closes with the offer recorded', async () => {
    await h.slash(ANI, 'konfirmasi', { tiket: 'GGN-000001', hasil: 'ok' });
    const ask = await h.slash(ANI, 'tutup', { tiket: 'GGN-000001' });
    const sentence = h.privateReply(ask.id);
    const closeId = h.customIds(sentence).find((id) => id.startsWith('c|tutup GGN-000001 tawaran=ya'))!;
    expect(closeId).toBeDefined();
    const click = await h.click(ANI, sentence.id, closeId);
    expect(h.privateReply(click.id).content).toContain('GGN-000001');
    const [row] = await h.core.db.select().from(tickets);
    expect(row?.status).toBe('closed');
  });

  it('the card is edited in place when the status changes', async () => {
    await h.deliver();
    expect(h.fake.messagesIn(h.fake.channelId)).toHaveLength(1);
    expect(card().edits).toBeGreaterThan(0);
    expect(h.shown(card())).toMatch(/Ditutup/);
  });

  it('customer phone and ID never appear unmasked in channel or thread messages', () => {
    const everything: FakeMessage[] = [...h.fake.messages.values()].filter((m) => (m.flags & EPHEMERAL) === 0);
    expect(everything.length).toBeGreaterThan(5);
    for (const m of everything) {
      const text = h.shown(m);
      expect(text).not.toContain(PHONE);
      expect(text).not.toContain('+6281234567890');
      expect(text).not.toContain('81234567890');
      expect(text).not.toContain(CUSTOMER_ID);
    }
    // and every body posko sent to a channel or thread, edits included
    for (const s of h.fake.sent.filter((x) => !x.ephemeral)) {
      expect(JSON.stringify(s.body)).not.toContain(CUSTOMER_ID);
      expect(JSON.stringify(s.body)).not.toContain('81234567890');
    }
  });

  it('no message posko sent can ping @everyone, @here or a role', () => {
    expect(h.fake.sent.length).toBeGreaterThan(10);
    for (const s of h.fake.sent) {
      expect(s.body.allowed_mentions, `${s.kind} ${JSON.stringify(s.body).slice(0, 120)}`).toBeDefined();
      expect(s.body.allowed_mentions.parse).toEqual([]);
      expect(s.body.allowed_mentions.roles ?? []).toEqual([]);
    }
    // the complaint's "@everyone @here" reached the thread only defused
    for (const m of h.fake.messages.values()) expect(h.shown(m)).not.toMatch(/(?<!\u200b)@(everyone|here)\b/);
  });
});
