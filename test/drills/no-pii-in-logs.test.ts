/**
 * Fault drill: no customer phone number or customer ID in any log line. The scripted day runs
 * through the real posko processes at LOG_LEVEL=debug (the worst case: Bolt's and the Slack Web
 * API client's own debug output included), every line they write is captured, and every phone
 * number and ID the day used is searched for in each format it could take.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockAction, interactionForm, slashCommand, triggerId, viewSubmission } from '../fakes/slack/payloads.js';
import { postForm, postJson } from '../fakes/slack/signed.js';
import { FakeSlackApi } from '../fakes/slack/web-api.js';
import { freshDatabase, type TestDb } from '../helpers/core.js';
import { freePort, type PoskoProcess, runConsoleScript, startPoskoProcess } from '../helpers/posko-process.js';

const SECRET = 'pii-drill-secret';
const CHANNEL = 'CPIIDAY';
const AGENT = 'UAGENT1';
const TL = 'UTLEAD1';
const SPV = 'USPV';

/** Every piece of customer data the day types, as typed. */
const CUSTOMERS = {
  siti: { id: '122123456789', contact: '081234567890' },
  modal: { id: 'SVC77889900', contact: '+6285712345678' },
  global: { id: 'GLB-20331', contact: '0215551234' },
  badPhone: { id: '122100001111', contact: '12345' },
  noName: { id: '122100002222', contact: '081234500000' },
  badService: { id: '122100003333', contact: '081234511111' },
};
/** Phone numbers typed into free text (reasons, notes), with separators people use. */
const TYPED_PHONES = ['0812-3456-7890', '0812 3456 7890', '0857-1234-5678'];

/**
 * The formats a value could take in a log line: as typed, digits only, the national significant
 * number (inside 08…, 62… and +62… alike), URL-encoded in a form body.
 */
function needles(): string[] {
  const out = new Set<string>();
  for (const { id, contact } of Object.values(CUSTOMERS)) {
    out.add(id);
    if (contact.replace(/\D/g, '').length >= 8) {
      const digits = contact.replace(/\D/g, '');
      out.add(digits);
      out.add(digits.replace(/^(62|0)/, ''));
    }
  }
  for (const typed of TYPED_PHONES) {
    const digits = typed.replace(/\D/g, '');
    out.add(typed);
    out.add(typed.replace(/ /g, '+')); // a space in a form body
    out.add(typed.replace(/ /g, '%20'));
    out.add(digits);
    out.add(digits.replace(/^0/, ''));
  }
  return [...out];
}

/** Lines that carry any of the needles, for a readable failure. */
function leaks(log: string): { needle: string; line: string }[] {
  const found: { needle: string; line: string }[] = [];
  const lines = log.split('\n');
  for (const needle of needles())
    for (const line of lines)
      if (line.toLowerCase().includes(needle.toLowerCase())) found.push({ needle, line: line.slice(0, 400) });
  return found;
}

const OPEN = (c: { id: string; contact: string }, service = 'indihome', name = '"Siti Rahmawati"') =>
  `buka layanan=${service} id=${c.id} nama=${name} kontak=${c.contact} keluhan="internet mati sejak pagi"`;

describe('logs of the scripted day carry no customer phone number or ID (LOG_LEVEL=debug)', () => {
  describe('Slack: the real process over HTTP, Bolt and Web API debug logs included', () => {
    let api: FakeSlackApi;
    let posko: PoskoProcess;
    let db: TestDb;
    let base = '';
    let asked = 0;

    beforeAll(async () => {
      api = await new FakeSlackApi().start();
      db = await freshDatabase('posko_pii');
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      posko = await startPoskoProcess({
        DATABASE_URL: db.url,
        SLACK_BOT_TOKEN: 'xoxb-pii',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: api.apiUrl,
        PORT: String(port),
        POSKO_ADMINS: `slack:${SPV}`,
        LOG_LEVEL: 'debug',
      });
    }, 60_000);

    afterAll(async () => {
      await posko?.stop();
      await api?.close();
      await db?.drop();
    });

    const answerTo = async (id: string) => {
      await api.waitFor(() => api.responses.some((r) => r.id === id));
      return api.responses.filter((r) => r.id === id).at(-1)!.body;
    };
    const command = async (userId: string, text: string) => {
      const id = `pii-${++asked}`;
      const fields = slashCommand({ userId, channelId: CHANNEL, text, responseUrl: api.responseUrl(id) });
      const r = await postForm(`${base}/slack/events`, SECRET, fields);
      expect(r.status).toBe(200);
      return answerTo(id);
    };
    const click = async (userId: string, button: { action_id: string; value: string }, messageTs: string) => {
      const id = `pii-${++asked}`;
      const payload = blockAction({
        userId,
        channelId: CHANNEL,
        messageTs,
        actionId: button.action_id,
        value: button.value,
        responseUrl: api.responseUrl(id),
      });
      expect((await postForm(`${base}/slack/events`, SECRET, interactionForm(payload))).status).toBe(200);
      return answerTo(id);
    };
    const buttonsIn = (blocks: unknown, suffix: string) =>
      ((blocks ?? []) as { type: string; elements?: { action_id: string; value: string }[] }[])
        .filter((b) => b.type === 'actions')
        .flatMap((b) => b.elements ?? [])
        .filter((el) => el.action_id.endsWith(suffix));
    /**
     * The outbox worker of the process has delivered everything: a health probe that ran after
     * this wait began saw no message pending on any platform.
     */
    const delivered = async () => {
      const since = Date.now();
      for (let i = 0; i < 300; i++) {
        const health = (await (await fetch(`${base}/healthz`)).json()) as {
          database: { checkedAt: string | null };
          outbox: { pending: number }[];
        };
        const fresh = Date.parse(health.database.checkedAt ?? '') > since;
        if (fresh && health.outbox.every((o) => o.pending === 0)) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('outbox not drained');
    };

    it('runs the day: open, repeat, bad inputs, form, escalate, approve, mention, confirm, close, lihat', async () => {
      await command(SPV, `peran <@${AGENT}|ani> agent tim=a`);
      await command(SPV, `peran <@${TL}|budi> tl tim=a`);

      const opened = await command(AGENT, OPEN(CUSTOMERS.siti));
      const number = /GGN-\d{6,}/.exec(String(opened.text))?.[0] ?? '';
      expect(number).toMatch(/^GGN-\d{6}$/);
      expect(String((await command(AGENT, OPEN(CUSTOMERS.siti))).text)).toContain(number);
      expect(String((await command(AGENT, OPEN(CUSTOMERS.badPhone, 'internet', 'Budi'))).text)).toContain('kontak');
      expect(String((await command(AGENT, OPEN(CUSTOMERS.noName).replace(/nama=\S+ \S+ /, ''))).text)).toContain(
        'nama',
      );
      expect(String((await command(AGENT, OPEN(CUSTOMERS.badService, 'satelit'))).text)).toContain('layanan');

      // The intake form: a modal submission carries the customer data in its JSON payload.
      const id = `pii-${++asked}`;
      const trigger = triggerId();
      await postForm(
        `${base}/slack/events`,
        SECRET,
        slashCommand({
          userId: AGENT,
          channelId: CHANNEL,
          text: 'buka',
          responseUrl: api.responseUrl(id),
          triggerId: trigger,
        }),
      );
      await api.waitFor(() => api.ok('views.open').length > 0);
      const view = api.ok('views.open').at(-1)!.args.view as { callback_id: string; private_metadata: string };
      const text = (value: string) => ({ value: { type: 'plain_text_input', value } });
      const submitted = await postForm(
        `${base}/slack/events`,
        SECRET,
        interactionForm(
          viewSubmission({
            userId: AGENT,
            callbackId: view.callback_id,
            privateMetadata: view.private_metadata,
            values: {
              layanan: { value: { type: 'static_select', selected_option: { value: 'internet' } } },
              id: text(CUSTOMERS.modal.id),
              nama: text('Dewi Lestari'),
              kontak: text(CUSTOMERS.modal.contact),
              keluhan: text('putus-putus, hubungi 0857-1234-5678'),
            },
          }),
        ),
      );
      expect(submitted.status).toBe(200);
      await api.waitFor(() => api.ok('chat.postEphemeral').some((c) => /GGN-\d+/.test(String(c.args.text))));

      await command(TL, OPEN(CUSTOMERS.global, 'global', '"PT Maju Jaya"'));
      await command(AGENT, `eskalasi ${number} ke=tl pelanggan 0812-3456-7890 marah`);
      await delivered();
      const request = api.ok('chat.postMessage').find((c) => buttonsIn(c.args.blocks, '.escalation.approve').length);
      expect(request).toBeDefined();
      const [approve] = buttonsIn(request!.args.blocks, '.escalation.approve');
      expect(String((await click(TL, approve!, String(request!.result?.ts))).text)).toContain(number);

      const mention = await postJson(`${base}/slack/events`, SECRET, {
        token: 'x',
        team_id: 'T0POSKO',
        api_app_id: 'APOSKO',
        type: 'event_callback',
        event_id: 'Ev0PII1',
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ team_id: 'T0POSKO', user_id: 'UPOSKOBOT', is_bot: true }],
        event: {
          type: 'app_mention',
          user: AGENT,
          text: `<@UPOSKOBOT> catat ${number} pelanggan minta ditelepon di 0812 3456 7890`,
          ts: '1700000999.000100',
          channel: CHANNEL,
          event_ts: '1700000999.000100',
        },
      });
      expect(mention.status).toBe(200);
      await api.waitFor(() => api.ok('chat.postEphemeral').some((c) => String(c.args.text).includes(number)));

      await command(AGENT, `kabari ${number} teknisi menuju lokasi`);
      await command(AGENT, `konfirmasi ${number} hasil=ok pelanggan sudah bisa browsing`);
      const prompt = await command(AGENT, `tutup ${number}`);
      const [closeButton] = buttonsIn(prompt.blocks, '.ticket.closeWithOffer');
      expect(closeButton).toBeDefined();
      expect(String((await click(AGENT, closeButton!, '1')).text)).toContain(number);
      const shown = await command(AGENT, `lihat ${number}`);
      expect(JSON.stringify(shown)).toContain('+6281234567890'); // the handler sees it in full, privately
      await delivered();
    }, 60_000);

    it('the captured log is debug-level, includes Bolt and Web API lines, and holds none of the customer data', async () => {
      await posko.stop();
      const log = posko.output();
      const lines = log.split('\n').filter(Boolean);
      expect(lines.some((l) => l.includes('"level":20') && l.includes('"platform":"slack"'))).toBe(true);
      expect(lines.length).toBeGreaterThan(50);
      expect(log).toContain('http request body'); // the Web API client's debug lines were on
      expect(leaks(log)).toEqual([]);
    });
  });

  it('console: the e2e day plus every job, through `posko start --json`', async () => {
    const c = CUSTOMERS.siti;
    const day = [
      `/tiket ${OPEN(c)}`,
      `/tiket ${OPEN(c)}`,
      `/tiket ${OPEN(CUSTOMERS.badPhone, 'internet', 'Budi')}`,
      `/tiket ${OPEN(CUSTOMERS.noName).replace(/nama=\S+ \S+ /, '')}`,
      `/tiket ${OPEN(CUSTOMERS.badService, 'tv')}`,
      `/tiket ${OPEN(CUSTOMERS.global, 'global', '"PT Maju Jaya"')}`,
      '/tiket eskalasi GGN-000001 ke=tl pelanggan 0812-3456-7890 marah',
      'as budi',
      '/tiket setujui GGN-000001',
      'as ani',
      '/tiket catat GGN-000001 pelanggan minta ditelepon di 0812 3456 7890',
      '/tiket konfirmasi GGN-000001 hasil=ok pelanggan sudah bisa browsing',
      '/tiket tutup GGN-000001 tawaran=ya',
      '/tiket lihat GGN-000001',
      ...['monita-poll', 'sla-watch', 'reminders', 'digest', 'housekeeping'].map((j) => `job ${j}`),
    ];
    const { lines, code, stderr } = await runConsoleScript<{ ticket: string | null }>(day, {
      DATABASE_URL: 'memory://',
      LOG_LEVEL: 'debug',
    });
    expect(code).toBe(0);
    // The day did run (stdout holds the replies, which may show full data to the handler).
    expect(lines.some((l) => l.ticket === 'GGN-000001')).toBe(true);
    expect(stderr.split('\n').filter(Boolean).length).toBeGreaterThan(0);
    expect(stderr).toContain('"level":20');
    expect(leaks(stderr)).toEqual([]);
  }, 60_000);
});
