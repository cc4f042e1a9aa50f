import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalations, tickets } from '../../src/db/schema.js';
import { CHANNEL, channelText, type SlackHarness, startSlackHarness } from './harness.js';

/** Forms as Slack modals: `/tiket buka` with no options, and the reason asked by the reject button. */
const AGENT = 'UAGENT2';
const TL = 'UTLEAD2';
let h: SlackHarness;

beforeAll(async () => {
  h = await startSlackHarness();
  await h.command('USPV', `peran <@${AGENT}> agent tim=a`);
  await h.command('USPV', `peran <@${TL}> tl tim=a`);
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const GOOD = {
  layanan: 'indihome',
  id: '122123450000',
  nama: 'Dewi Lestari',
  kontak: '0812 1111 2222',
  keluhan: 'wifi putus-putus',
};

describe('/tiket buka as a modal', () => {
  it('P5.2 /tiket buka with no options opens the intake modal with a select for layanan', async () => {
    const r = await h.command(AGENT, 'buka', { trigger: 'open.form.trigger' });
    expect(r.status).toBe(200);
    const open = h.api.ok('views.open').at(-1);
    expect(open?.args.trigger_id).toBe('open.form.trigger');
    const view = h.lastModal();
    const blocks = view.blocks as { block_id: string; element: { type: string } }[];
    expect(blocks.map((b) => b.block_id)).toEqual(['layanan', 'id', 'nama', 'kontak', 'keluhan', 'monita']);
    expect(blocks[0]?.element.type).toBe('static_select');
    expect(r.responses).toHaveLength(0); // the modal is the answer
  });

  it('P5.2 a bad phone comes back as the kontak field error, and nothing is stored', async () => {
    const r = await h.submit(AGENT, { ...GOOD, kontak: '12345' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ response_action: 'errors' });
    const errors = (r.body as { errors: Record<string, string> }).errors;
    expect(Object.keys(errors)).toEqual(['kontak']);
    expect(errors.kontak).toMatch(/kontak/);
    expect(await h.core.db.select().from(tickets)).toHaveLength(0);
  });

  it('P5.2 a missing name comes back on the nama field', async () => {
    const r = await h.submit(AGENT, { ...GOOD, nama: '' });
    expect(Object.keys((r.body as { errors: Record<string, string> }).errors)).toEqual(['nama']);
  });

  it('P5.4 a good submission closes the modal, opens the ticket, answers privately, posts the card', async () => {
    const r = await h.submit(AGENT, GOOD);
    expect(r.status).toBe(200);
    expect(r.body).toBe('');
    const [t] = await h.core.db.select().from(tickets);
    expect(t).toMatchObject({
      customerName: 'Dewi Lestari',
      contact: '+6281211112222',
      channel: CHANNEL,
      openedBy: `slack:${AGENT}`,
    });
    const eph = h.api.ok('chat.postEphemeral').at(-1);
    expect(eph?.args).toMatchObject({ channel: CHANNEL, user: AGENT });
    expect(String(eph?.args.text)).toContain(t?.number);
    await h.deliver();
    const card = h.api.ok('chat.postMessage').find((c) => c.args.channel === CHANNEL && !c.args.thread_ts);
    expect(String(card?.args.text)).toContain(t?.number);
  });
});

describe('reject with a reason', () => {
  it('P5.10 the reject button asks for the reason in a modal; submitting rejects and updates the request', async () => {
    const [t] = await h.core.db.select().from(tickets);
    await h.command(AGENT, `eskalasi ${t?.number} ke=tl butuh teknisi senior`);
    await h.deliver();
    const [reject] = h.buttons('escalation.reject');
    expect(reject).toBeDefined();
    const click = await h.click(TL, reject!);
    expect(click.responses).toHaveLength(0);
    const view = h.lastModal();
    const inputs = (view.blocks as { type: string; block_id: string }[]).filter((b) => b.type === 'input');
    expect(inputs.map((b) => b.block_id)).toEqual(['teks']);
    expect(JSON.stringify(view.blocks)).toContain(t?.number); // the ticket, even where the title is cut
    const [still] = await h.core.db.select().from(escalations);
    expect(still?.status).toBe('pending'); // opening the form decides nothing

    const empty = await h.submit(TL, { teks: '' });
    expect(empty.body).toMatchObject({ response_action: 'errors' });
    expect((await h.core.db.select().from(escalations))[0]?.status).toBe('pending');

    const done = await h.submit(TL, { teks: 'cek ulang redaman ODP dulu' });
    expect(done.body).toBe('');
    const [e] = await h.core.db.select().from(escalations).where(eq(escalations.ticketId, t!.id));
    expect(e).toMatchObject({
      status: 'rejected',
      decidedBy: `slack:${TL}`,
      decisionNote: 'cek ulang redaman ODP dulu',
    });
    await h.deliver();
    const edit = h.api.ok('chat.update').find((c) => c.args.ts === reject!.messageTs);
    expect(edit).toBeDefined();
    expect(JSON.stringify(edit?.args.blocks)).not.toContain('"actions"');
  });
});

describe('masking', () => {
  it('the phone and customer ID typed into the modal never appear unmasked in a channel message', () => {
    const seen = channelText(h.api);
    expect(seen).toContain('+62812****2222');
    for (const secret of ['0812 1111 2222', '081211112222', '6281211112222', '122123450000', 'Dewi Lestari'])
      expect(seen).not.toContain(secret);
  });
});
