import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalations, ticketEvents, tickets } from '../../src/db/schema.js';
import { CHANNEL, channelText, responseButtons, type SlackHarness, startSlackHarness } from './harness.js';

/**
 * The core issue's scripted day, driven through Slack: signed slash commands and button clicks
 * into the real Bolt app, the real posko core on a real database, the fake Slack Web API on the
 * other side recording what Slack would show.
 */
const AGENT = 'UAGENT1';
const TL = 'UTLEAD1';
const SPV = 'USPV'; // POSKO_ADMINS=slack:USPV

const OPEN =
  'buka layanan=indihome id=122123456789 nama="Siti Rahmawati" kontak=081234567890 keluhan="internet mati sejak pagi"';

let h: SlackHarness;
let number = '';

beforeAll(async () => {
  h = await startSlackHarness();
  await h.command(SPV, `peran <@${AGENT}|ani> agent tim=a`);
  await h.command(SPV, `peran <@${TL}|budi tl> tl tim=a`);
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const ephemeralText = (r: Awaited<ReturnType<SlackHarness['command']>>) => {
  expect(r.status).toBe(200);
  expect(r.responses).toHaveLength(1);
  expect(r.responses[0]?.body.response_type).toBe('ephemeral');
  return String(r.responses[0]?.body.text);
};

const cardPosts = () => h.api.ok('chat.postMessage').filter((c) => c.args.channel === CHANNEL && !c.args.thread_ts);
const threadPosts = () => h.api.ok('chat.postMessage').filter((c) => c.args.thread_ts);

describe('the scripted day on Slack', () => {
  it('P5.2 P5.4 opens a ticket: ack at once, full data to the agent ephemerally, the masked card in the channel', async () => {
    const r = await h.command(AGENT, OPEN);
    expect(r.body).toBe(''); // the ack carries nothing; the answer follows on response_url
    const text = ephemeralText(r);
    number = /GGN-\d{6,}/.exec(text)?.[0] ?? '';
    expect(number).toMatch(/^GGN-\d{6}$/);
    expect(JSON.stringify(r.responses[0]?.body)).toContain('+6281234567890'); // the handler sees it in full

    await h.deliver();
    const cards = cardPosts();
    expect(cards).toHaveLength(1);
    const card = cards[0]!;
    expect(String(card.args.text)).toContain(number);
    const blocks = JSON.stringify(card.args.blocks);
    for (const part of ['header', number, '+62812****7890', '********6789', 'P5.2']) expect(blocks).toContain(part);
    expect(blocks).not.toContain('081234567890');
    // The assignee is named, not pinged: Slack has no silent mention, so the card shows the name.
    expect(blocks).toContain(`@name-${AGENT}`);
    expect(blocks).not.toContain(`<@${AGENT}>`);
    const [t] = await h.core.db.select().from(tickets).where(eq(tickets.number, number));
    expect(t?.cardRef).toMatchObject({ platform: 'slack', channel: CHANNEL, messageId: card.result?.ts });
  });

  it('P5.3 the same customer again gives the same number and is recorded in the thread', async () => {
    const r = await h.command(AGENT, OPEN);
    expect(ephemeralText(r)).toContain(number);
    await h.deliver();
    expect(cardPosts()).toHaveLength(1);
    const [t] = await h.core.db.select().from(tickets).where(eq(tickets.number, number));
    expect(t?.repeatCount).toBe(1);
    const cardTs = cardPosts()[0]?.result?.ts;
    expect(threadPosts().every((c) => c.args.thread_ts === cardTs)).toBe(true);
  });

  it('P5.2 bad phone, missing name, unknown service line: invalid_input naming the option, nothing stored', async () => {
    const before = await h.core.db.select().from(tickets);
    const cases: [string, string][] = [
      ['buka layanan=internet id=122100001111 nama=Budi kontak=12345 keluhan=lambat', 'kontak'],
      ['buka layanan=internet id=122100001111 kontak=081234500000 keluhan=lambat', 'nama'],
      ['buka layanan=satelit id=122100001111 nama=Budi kontak=081234500000 keluhan=lambat', 'layanan'],
    ];
    for (const [line, option] of cases) {
      const r = await h.command(AGENT, line);
      const body = r.responses[0]?.body;
      expect(body?.response_type).toBe('ephemeral');
      expect(String(body?.text)).toContain(option);
      expect(JSON.stringify(body?.blocks)).toContain(':warning:');
    }
    expect(await h.core.db.select().from(tickets)).toHaveLength(before.length);
  });

  it('P5.10 escalation is asked in the thread with buttons, mentioning the team leader', async () => {
    const r = await h.command(AGENT, `eskalasi ${number} ke=tl gangguan massal, pelanggan 0812-3456-7890 marah`);
    expect(ephemeralText(r)).toContain(number);
    await h.deliver();
    const request = threadPosts().at(-1)!;
    expect(request.args.thread_ts).toBe(cardPosts()[0]?.result?.ts);
    expect(String(request.args.text)).toContain(`<@${TL}>`);
    expect(h.buttons('escalation.approve')).toHaveLength(1);
    expect(h.buttons('escalation.reject')).toHaveLength(1);
  });

  it("P5.10 the requester's own approve click is refused ephemerally and changes nothing", async () => {
    const [approve] = h.buttons('escalation.approve');
    const updatesBefore = h.api.ok('chat.update').length;
    const r = await h.click(AGENT, approve!);
    expect(r.status).toBe(200);
    expect(r.responses).toHaveLength(1);
    expect(r.responses[0]?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    const [e] = await h.core.db.select().from(escalations);
    expect(e?.status).toBe('pending');
    await h.deliver();
    expect(h.api.ok('chat.update')).toHaveLength(updatesBefore);
  });

  it('P5.10 the team leader approves by the button (Slack redelivers the click): one decision, the request updated in place', async () => {
    const [approve] = h.buttons('escalation.approve');
    const trigger = 'tl.approve.trigger';
    const r = await h.click(TL, approve!, { trigger });
    expect(r.responses[0]?.body.response_type).toBe('ephemeral');
    const again = await h.click(TL, approve!, { trigger, retryNum: 1 });
    expect(again.status).toBe(200);
    expect(again.responses).toHaveLength(0); // a redelivery has no second effect and says nothing
    const all = await h.core.db.select().from(escalations);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ status: 'approved', decidedBy: `slack:${TL}` });
    const approvals = await h.core.db.select().from(ticketEvents).where(eq(ticketEvents.type, 'escalation_approved'));
    expect(approvals).toHaveLength(1);
    await h.deliver();
    const edits = h.api.ok('chat.update').filter((c) => c.args.ts === approve!.messageTs);
    expect(edits).toHaveLength(1);
    expect(String(edits[0]?.args.text)).toContain(number);
    expect(JSON.stringify(edits[0]?.args.blocks)).not.toContain('"actions"');
    expect(h.buttons('escalation.approve')).toHaveLength(0);
    expect(cardPosts()).toHaveLength(1);
  });

  it('P5.10 a second click on the (stale) approve button is harmless: a private answer, no change', async () => {
    const stale = h.api.ok('chat.postMessage').flatMap((c) =>
      ((c.args.blocks ?? []) as { type: string; elements?: { action_id: string; value: string }[] }[])
        .filter((b) => b.type === 'actions')
        .flatMap((b) => b.elements ?? [])
        .filter((el) => el.action_id.endsWith('.escalation.approve'))
        .map((el) => ({ actionId: el.action_id, value: el.value, channel: CHANNEL, messageTs: String(c.result?.ts) })),
    )[0];
    const updates = h.api.ok('chat.update').length;
    const r = await h.click(TL, stale!);
    expect(r.responses).toHaveLength(1);
    expect(r.responses[0]?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect((await h.core.db.select().from(escalations))[0]).toMatchObject({
      status: 'approved',
      decidedBy: `slack:${TL}`,
    });
    await h.deliver();
    expect(h.api.ok('chat.update')).toHaveLength(updates);
  });

  it('a redelivered command has one effect', async () => {
    const notesBefore = await h.core.db.select().from(ticketEvents).where(eq(ticketEvents.type, 'note'));
    const first = await h.command(AGENT, `catat ${number} koordinasi dengan teknisi wilayah`, {
      trigger: 'note.trigger',
    });
    const again = await h.command(AGENT, `catat ${number} koordinasi dengan teknisi wilayah`, {
      trigger: 'note.trigger',
      retryNum: 1,
    });
    expect(first.responses).toHaveLength(1);
    expect(again.status).toBe(200);
    expect(again.responses).toHaveLength(0);
    const notes = await h.core.db.select().from(ticketEvents).where(eq(ticketEvents.type, 'note'));
    expect(notes).toHaveLength(notesBefore.length + 1);
  });

  it('an @mention runs a command too, and a retried event (same event_id) has one effect', async () => {
    const notesBefore = await h.core.db.select().from(ticketEvents).where(eq(ticketEvents.type, 'note'));
    const first = await h.mention(AGENT, `catat ${number} teknisi dijadwalkan besok pagi`, 'Ev0MENTION1');
    expect(first.status).toBe(200);
    const again = await h.mention(AGENT, `catat ${number} teknisi dijadwalkan besok pagi`, 'Ev0MENTION1', {
      retryNum: 1,
    });
    expect(again.status).toBe(200);
    const notes = await h.core.db.select().from(ticketEvents).where(eq(ticketEvents.type, 'note'));
    expect(notes).toHaveLength(notesBefore.length + 1);
    const answers = h.api
      .ok('chat.postEphemeral')
      .filter((c) => c.args.user === AGENT && String(c.args.text).includes(number));
    expect(answers).toHaveLength(1);
  });

  it('P5.11 P5.12 closing before the customer confirmed is a conflict naming the confirmation', async () => {
    const r = await h.command(AGENT, `tutup ${number}`);
    const text = ephemeralText(r);
    expect(text).toContain('konfirmasi');
    const [t] = await h.core.db.select().from(tickets).where(eq(tickets.number, number));
    expect(t?.status).not.toBe('closed');
  });

  it('P5.7 A11 after konfirmasi hasil=ok, tutup shows the standard sentence; its button closes the ticket', async () => {
    await h.command(AGENT, `kabari ${number} teknisi menuju lokasi`);
    ephemeralText(await h.command(AGENT, `konfirmasi ${number} hasil=ok pelanggan sudah bisa internet`));
    const r = await h.command(AGENT, `tutup ${number}`);
    const refusal = r.responses[0]!;
    expect(String(refusal.body.text)).toContain(number);
    expect(JSON.stringify(refusal.body.blocks)).toContain('Apakah ada hal lain');
    const [closeButton] = responseButtons(refusal, 'ticket.closeWithOffer');
    expect(closeButton).toBeDefined();
    let [t] = await h.core.db.select().from(tickets).where(eq(tickets.number, number));
    expect(t?.status).not.toBe('closed');
    const click = await h.click(
      AGENT,
      {
        actionId: closeButton!.action_id,
        value: closeButton!.value,
        channel: CHANNEL,
        messageTs: '2',
      },
      { ephemeral: true },
    );
    expect(String(click.responses[0]?.body.text)).toContain(number);
    expect(click.responses[0]?.body.replace_original).toBe(true); // the private prompt becomes the result
    [t] = await h.core.db.select().from(tickets).where(eq(tickets.number, number));
    expect(t?.status).toBe('closed');
    await h.deliver();
  });

  it('A1 lihat shows the whole checklist and history; an agent may not use peran', async () => {
    const r = await h.command(AGENT, `lihat ${number}`);
    const body = JSON.stringify(r.responses[0]?.body.blocks);
    for (const clause of ['P5.2', 'P5.7', 'P5.10', 'P5.11', 'P5.12']) expect(body).toContain(clause);
    const forbidden = await h.command(AGENT, `peran <@${AGENT}|ani> spv`);
    expect(String(forbidden.responses[0]?.body.text)).toMatch(/./);
    expect(JSON.stringify(forbidden.responses[0]?.body.blocks)).toContain(':warning:');
  });

  it('the card in the channel was updated in place as the status changed; all else went into its thread', async () => {
    const cardTs = cardPosts()[0]?.result?.ts;
    const cardEdits = h.api.ok('chat.update').filter((c) => c.args.ts === cardTs);
    expect(cardEdits.length).toBeGreaterThan(0);
    expect(cardPosts()).toHaveLength(1);
    expect(threadPosts().every((c) => c.args.thread_ts === cardTs)).toBe(true);
  });

  it('customer phone and ID never appear unmasked in any channel or thread message', () => {
    const seen = channelText(h.api);
    for (const secret of ['081234567890', '6281234567890', '122123456789', '0812-3456-7890', 'Siti Rahmawati'])
      expect(seen).not.toContain(secret);
    expect(seen).toContain('****');
  });

  it('serves /healthz and /metrics on the same port', async () => {
    const health = await fetch(`${h.base}/healthz`);
    expect(health.status).toBe(200);
    const metrics = await (await fetch(`${h.base}/metrics`)).text();
    expect(metrics).toMatch(/posko_commands_total\{command="buka",outcome="ok",via="command"\} \d/);
    expect(metrics).toMatch(/posko_commands_total\{command="setujui",outcome="forbidden",via="button"\} 1/);
    expect(metrics).toContain('posko_slack_ack_seconds_bucket');
    expect(metrics).toMatch(/posko_outbox_depth/);
    expect(metrics).toMatch(/posko_outbox_sent_total\{platform="slack"\} \d/);
  });
});
