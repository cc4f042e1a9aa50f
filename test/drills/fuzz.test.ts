/**
 * Fault drill: grammar and payload fuzzing. Random and near-valid input goes through the whole
 * command path on a real core, through the real Slack app over signed HTTP, and through the real
 * discord.js client on the fake gateway. Whatever comes in: no unhandled error, no error logged as
 * a crash, an answer with a known code, and never a stack trace in what a person reads.
 * (test/unit/parser.test.ts holds the parser-and-binder property; this goes end to end.)
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { runCommandLine } from '../../src/command/dispatch.js';
import { ERROR_CODES } from '../../src/reply.js';
import { seedDemoRoster } from '../../src/services/roster.js';
import { ANI, BUDI, CITRA, type DiscordHarness, startDiscordHarness } from '../discord/harness.js';
import { snowflake } from '../fakes/discord/fake-discord.js';
import { blockAction, interactionForm, slashCommand, triggerId, viewSubmission } from '../fakes/slack/payloads.js';
import { postForm } from '../fakes/slack/signed.js';
import { CHANNEL, SECRET, type SlackHarness, startSlackHarness } from '../slack/harness.js';

/** What a stack trace or an internal error looks like in text meant for a person. */
const STACK_TRACE = [
  /\n\s*at [^\n]*:\d+:\d+/,
  /\b[A-Z][A-Za-z]*Error\b/,
  /Error:/,
  /\.(?:ts|js|mjs):\d+/,
  /node_modules/,
];
const looksLikeStackTrace = (text: string) => STACK_TRACE.some((re) => re.test(text));
/** Inputs are kept free of those markers, so an echo of what was typed is not mistaken for one. */
const clean = (s: string) => !looksLikeStackTrace(s) && !/error|\.[tj]s|at /i.test(s);

// Fixed, so CI is reproducible; FUZZ_SEED=<n> explores elsewhere (fast-check prints the seed of a failure).
const SEED = Number(process.env.FUZZ_SEED) || 20261201;
const KNOWN_ERRORS = new Set<string | null>([...ERROR_CODES, null]);
const USERS = ['ani', 'budi', 'citra', 'nobody'];

const KEYS = [
  ...new Set(COMMANDS.flatMap((c) => c.options.map((o) => o.name))),
  'tiket',
  'teks',
  'Layanan',
  'KONTAK',
  'x',
];
const VALUES = [
  'indihome',
  'internet',
  'global',
  'tl',
  'spv',
  'telkom',
  'ok',
  'gagal',
  'ya',
  'tidak',
  '122123456789',
  '081234567890',
  '+6281234567890',
  '0215551234',
  'GLB-20331',
  '',
  '""',
  '"',
  '“Siti”',
  '=',
  '<@U1>',
  '<@U1|a b>',
  '😀',
  'ﷺ',
  '\u0000',
  'a'.repeat(5000),
  '9'.repeat(40),
  '-1',
  '0',
];
const TICKETS = ['GGN-000001', 'ggn-1', '1', '2', 'GGN-999999', 'GGN-', 'GGN-0', '0', '-1', '9'.repeat(30), '٣'];

const text = (max = 40) =>
  fc.oneof(fc.string({ maxLength: max }), fc.string({ unit: 'grapheme', maxLength: max }), fc.constantFrom(...VALUES));

/** A command line that is nearly right: a real or misspelt name, tickets, key=value pairs, free text. */
const nearValidLine = fc
  .tuple(
    fc.oneof(
      fc.constantFrom(...COMMANDS.map((c) => c.name)),
      fc.constantFrom('BUKA', 'Tutup', 'buk', '/tiket'),
      text(8),
    ),
    fc.array(
      fc.oneof(
        fc.constantFrom(...TICKETS),
        fc.tuple(fc.constantFrom(...KEYS), text()).map(([k, v]) => `${k}=${/\s/.test(v) ? `"${v}"` : v}`),
        text(),
      ),
      { maxLength: 8 },
    ),
  )
  .map(([name, parts]) => [name, ...parts].join(' '))
  .filter(clean);
const anyLine = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 300 })).filter(clean);

let slack: SlackHarness;
let errorsLogged: unknown[] = [];

beforeAll(async () => {
  slack = await startSlackHarness();
  await seedDemoRoster(slack.core);
  // A crash the dispatcher or an adapter caught is still a bug: every one is logged at error.
  vi.spyOn(slack.core.log, 'error').mockImplementation((...args: unknown[]) => {
    errorsLogged.push(args);
  });
  const inv = { platform: 'console' as const, userId: 'ani', channel: 'team-a' };
  for (const id of ['122123456789', '122123456780'])
    await runCommandLine(
      slack.core,
      inv,
      `buka layanan=indihome id=${id} nama="Siti Rahma" kontak=081234567890 keluhan="mati"`,
    );
  await runCommandLine(slack.core, inv, 'eskalasi GGN-000002 ke=tl redaman tinggi');
}, 60_000);
afterAll(async () => {
  await slack?.close();
});

describe('fuzzing the command path (runCommandLine on a real core, as a known user)', () => {
  const property = (line: fc.Arbitrary<string>) =>
    fc.asyncProperty(fc.constantFrom(...USERS), line, async (user, input) => {
      errorsLogged = [];
      const outcome = await runCommandLine(slack.core, { platform: 'console', userId: user, channel: 'team-a' }, input);
      expect(KNOWN_ERRORS.has(outcome.error)).toBe(true);
      // The database is up: `unavailable` here would be an unexpected error the dispatcher hid.
      expect(outcome.error).not.toBe('unavailable');
      expect(outcome.replies.length).toBeGreaterThan(0);
      for (const reply of outcome.replies) {
        expect(KNOWN_ERRORS.has(reply.error)).toBe(true);
        expect(looksLikeStackTrace(JSON.stringify(reply))).toBe(false);
      }
      expect(errorsLogged).toEqual([]);
    });

  it('arbitrary strings: never a throw, a known code, no stack trace', async () => {
    await fc.assert(property(anyLine), { numRuns: 150, seed: SEED });
  });

  it('near-valid command lines (real names, tickets, keys, odd values): the same', async () => {
    await fc.assert(property(nearValidLine), { numRuns: 300, seed: SEED });
  });
});

/** Everything the fake Slack received for a person to read: ephemerals, response_url bodies, modals. */
function slackTextsSince(callsFrom: number, responsesFrom: number): string[] {
  return [
    ...slack.api.calls.slice(callsFrom).map((c) => JSON.stringify(c.args)),
    ...slack.api.responses.slice(responsesFrom).map((r) => JSON.stringify(r.body)),
  ];
}

describe('fuzzing Slack payloads (signed, POSTed to the real Bolt app)', () => {
  const post = async (fields: Record<string, string>) => {
    errorsLogged = [];
    const calls = slack.api.calls.length;
    const responses = slack.api.responses.length;
    const answer = await postForm(slack.events, SECRET, fields);
    await slack.slack.idle();
    expect(answer.status).toBeGreaterThanOrEqual(200);
    expect(answer.status).toBeLessThan(500);
    for (const t of slackTextsSince(calls, responses)) expect(looksLikeStackTrace(t)).toBe(false);
    expect(errorsLogged).toEqual([]);
  };
  const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });
  const odd = fc.oneof(
    text(),
    fc.integer().map(String),
    fc.constantFrom('null', '{}', '[]', 'true', 'x'.repeat(20_000)),
  );

  it('regression: a slash-command body without `text` is an empty line (it crashed on .split)', async () => {
    const fields = slashCommand({
      userId: 'USPV',
      channelId: CHANNEL,
      text: '',
      responseUrl: slack.api.responseUrl('no-text'),
    });
    delete fields.text;
    await post(fields);
    expect(slack.responsesTo('no-text')).toHaveLength(1); // the help, as for a bare /tiket
  });

  it('regression: a submitted field named "[" is answered in the modal (it crashed building a RegExp)', async () => {
    const payload = viewSubmission({
      userId: 'USPV',
      callbackId: 'posko_form',
      privateMetadata: JSON.stringify({ line: 'buka', channel: CHANNEL }),
      values: { '[': { value: { type: 'plain_text_input', value: 'x' } } },
    });
    const calls = slack.api.calls.length;
    errorsLogged = [];
    const answer = await postForm(slack.events, SECRET, interactionForm(payload));
    await slack.slack.idle();
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ response_action: 'errors' });
    expect(slackTextsSince(calls, slack.api.responses.length).every((t) => !looksLikeStackTrace(t))).toBe(true);
    expect(errorsLogged).toEqual([]);
  });

  it('regression: a submitted block with null or non-text values counts as empty (it crashed reading .value)', async () => {
    const payload = viewSubmission({
      userId: 'USPV',
      callbackId: 'posko_form',
      privateMetadata: JSON.stringify({ line: 'buka', channel: CHANNEL }),
      values: { '': null, nama: { value: { type: 'plain_text_input', value: 7 } } } as never,
    });
    errorsLogged = [];
    const answer = await postForm(slack.events, SECRET, interactionForm(payload));
    await slack.slack.idle();
    expect(answer.status).toBe(200);
    expect(errorsLogged).toEqual([]);
  });

  it('regression: a button value whose form is not a form runs the command instead (it crashed on .length)', async () => {
    const responses = slack.api.responses.length;
    await post(
      interactionForm(
        blockAction({
          userId: 'USPV',
          channelId: CHANNEL,
          messageTs: '1700000000.000001',
          actionId: 'posko.0.escalation.reject',
          value: JSON.stringify({ c: 'tolak GGN-000002', f: {} }),
          responseUrl: slack.api.responseUrl('bad-form'),
        }),
      ),
    );
    expect(slack.api.responses.length).toBe(responses + 1); // tolak's own answer: the reason is missing
    expect(String(slack.responsesTo('bad-form')[0]?.body.text)).toMatch(/teks|alasan/);
  });

  it('slash-command form bodies: random text, missing or odd fields → 2xx/4xx, no stack trace', async () => {
    const body = fc.record({
      text: maybe(fc.oneof(nearValidLine, anyLine, odd)),
      user_id: maybe(fc.oneof(fc.constantFrom('USPV', 'UAGENT', ''), odd)),
      channel_id: maybe(fc.oneof(fc.constant(CHANNEL), odd)),
      trigger_id: maybe(fc.oneof(fc.constant('t'), odd)),
    });
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const fields = slashCommand({
          userId: 'USPV',
          channelId: CHANNEL,
          text: '',
          responseUrl: slack.api.responseUrl(`fuzz-${triggerId()}`),
        });
        for (const [k, v] of Object.entries(b)) {
          if (v === undefined) delete fields[k];
          else fields[k] = v;
        }
        if (b.trigger_id !== undefined) fields.trigger_id = `${b.trigger_id}.${triggerId()}`;
        await post(fields);
      }),
      { numRuns: 120, seed: SEED },
    );
  });

  it('block_actions: random action ids, button values, missing user/channel/container → 2xx/4xx', async () => {
    const value = fc.oneof(
      odd,
      nearValidLine.map((c) => JSON.stringify({ c })),
      fc.tuple(nearValidLine, fc.anything()).map(([c, f]) => JSON.stringify({ c, f })),
      fc.anything().map((v) => JSON.stringify(v) ?? 'undefined'),
    );
    const action = fc.record({
      // Bolt routes only posko.* to posko (another id is Bolt's own "not acknowledged" case).
      actionId: fc.oneof(
        fc.constantFrom('posko.0.escalation.approve', 'posko.1.ticket.closeWithOffer', 'posko.'),
        odd.map((id) => `posko.${id}`),
      ),
      value,
      // Not `user`: Bolt itself reads body.user before any listener and answers 500 without it;
      // Slack never sends an interaction without the person who acted.
      // Nor `actions`: without it Bolt routes to no listener and logs its own "not acknowledged".
      drop: fc.subarray(['channel', 'container', 'message', 'trigger_id', 'response_url']),
      userId: fc.constantFrom('USPV', 'UAGENT', 'UNOBODY'),
    });
    await fc.assert(
      fc.asyncProperty(action, async (a) => {
        const payload = blockAction({
          userId: a.userId,
          channelId: CHANNEL,
          messageTs: '1700000000.000001',
          actionId: a.actionId,
          value: a.value,
          responseUrl: slack.api.responseUrl(`fuzz-${triggerId()}`),
        });
        for (const key of a.drop) delete payload[key];
        await post(interactionForm(payload));
      }),
      { numRuns: 120, seed: SEED },
    );
  });

  it('view_submission: random metadata and values, wrong types, huge strings, unicode → 2xx/4xx', async () => {
    const stateValue = fc.oneof(
      odd.map((v) => ({ value: { type: 'plain_text_input', value: v } })),
      odd.map((v) => ({ value: { type: 'static_select', selected_option: { value: v } } })),
      fc.constant({ value: { type: 'static_select', selected_option: null } }),
      fc.constant({}),
      fc.anything(),
    );
    const submission = fc.record({
      metadata: fc.oneof(
        odd,
        fc
          .tuple(nearValidLine, fc.constantFrom(CHANNEL, '', 'C0'))
          .map(([line, channel]) => JSON.stringify({ line, channel })),
        fc.constant(JSON.stringify({ line: 'buka', channel: CHANNEL })),
        fc.anything().map((v) => JSON.stringify(v) ?? ''),
      ),
      values: fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })), stateValue, {
        maxKeys: 6,
      }),
      userId: fc.constantFrom('USPV', 'UAGENT'),
    });
    await fc.assert(
      fc.asyncProperty(submission, async (s) => {
        const payload = viewSubmission({
          userId: s.userId,
          callbackId: 'posko_form',
          privateMetadata: s.metadata,
          values: s.values as never,
        });
        await post(interactionForm(payload));
      }),
      { numRuns: 120, seed: SEED },
    );
  });

  it('the app is still up and serving after all of it', async () => {
    expect((await fetch(`${slack.base}/healthz`)).status).toBe(200);
    const r = await slack.command('USPV', 'bantuan');
    expect(r.status).toBe(200);
    expect(r.responses).toHaveLength(1);
  });
});

describe('fuzzing Discord interactions (the real discord.js client on the fake gateway)', () => {
  let discord: DiscordHarness;
  let discordErrors: unknown[] = [];

  beforeAll(async () => {
    discord = await startDiscordHarness();
    vi.spyOn(discord.core.log, 'error').mockImplementation((...args: unknown[]) => {
      discordErrors.push(args);
    });
    await discord.slash(CITRA, 'peran', { pengguna: { user: BUDI }, peran: 'tl', tim: 'a' });
    await discord.slash(CITRA, 'peran', { pengguna: { user: ANI }, peran: 'agent', tim: 'a' });
  }, 60_000);
  afterAll(async () => {
    await discord?.close();
  });

  const user = fc.constantFrom(ANI, BUDI, CITRA, '400000000000000099');
  const checkAnswers = (id: string) => {
    const shown = [
      ...discord.fake.repliesTo(id).map((m) => JSON.stringify(m)),
      ...(discord.fake.interactions.get(id)?.callbacks ?? []).map((c) => JSON.stringify(c)),
    ];
    for (const t of shown) expect(looksLikeStackTrace(t)).toBe(false);
    expect(discordErrors).toEqual([]);
    discordErrors = [];
  };

  it('slash commands with random subcommands and option values', async () => {
    const optionValue = fc.oneof(text(), fc.integer(), fc.constantFrom(...TICKETS), fc.constantFrom(...VALUES));
    const slash = fc.record({
      user,
      sub: fc.oneof(fc.constantFrom(...COMMANDS.map((c) => c.name)), fc.string({ minLength: 1, maxLength: 10 })),
      options: fc.dictionary(fc.constantFrom(...KEYS, 'pengguna', 'peran', 'teks'), optionValue, { maxKeys: 6 }),
    });
    await fc.assert(
      fc.asyncProperty(
        slash.filter((s) => clean(JSON.stringify(s))),
        async (s) => {
          const r = await discord.slash(s.user, s.sub, s.options as Record<string, string | number>);
          checkAnswers(r.id);
        },
      ),
      { numRuns: 60, seed: SEED },
    );
  });

  /** A command payload reshaped: the fake fills in the guild, member, channel and token. */
  const reshaped = (userId: string) => {
    const payload = discord.fake.slash(userId, 'bantuan');
    payload.id = snowflake();
    return payload;
  };
  /** A click on a button `customId` under a message that does not list it (as after an edit). */
  const clickPayload = (userId: string, customId: string) => {
    const payload = reshaped(userId);
    payload.type = 3;
    payload.message = {
      id: snowflake(),
      channel_id: payload.channel_id,
      type: 0,
      content: '',
      author: { id: discord.fake.bot.id, username: 'posko', discriminator: '0', bot: true, avatar: null },
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      embeds: [],
      components: [],
      attachments: [],
      mentions: [],
      mention_roles: [],
      pinned: false,
      mention_everyone: false,
      tts: false,
      flags: 0,
    };
    payload.data = { custom_id: customId, component_type: 2 };
    return payload;
  };
  const modalPayload = (
    userId: string,
    customId: string,
    fields: { custom_id: string; value: string; select: boolean }[],
  ) => {
    const payload = reshaped(userId);
    payload.type = 5;
    payload.data = {
      custom_id: customId,
      components: fields.map((f, n) => ({
        type: 18,
        id: n + 1,
        component: f.select
          ? { type: 3, custom_id: f.custom_id, values: [f.value] }
          : { type: 4, custom_id: f.custom_id, value: f.value },
      })),
    };
    return payload;
  };

  it('regression: a form button whose component is not in its message opens the form (it crashed reading the label)', async () => {
    const r = await discord.interact(clickPayload(ANI, 'f|tolak GGN-000001'));
    expect(r.callbacks.some((c) => c.type === 9)).toBe(true); // the modal asking for the reason
    checkAnswers(r.id);
  });

  it('button clicks with random custom ids and modal submissions with random fields', async () => {
    const customId = fc.oneof(
      nearValidLine.map((l) => `c|${l}`.slice(0, 100)),
      nearValidLine.map((l) => `f|${l}`.slice(0, 100)),
      fc.string({ maxLength: 100 }),
    );
    const modalId = fc.oneof(
      nearValidLine.map((l) => `m|${l}`.slice(0, 100)),
      fc.string({ maxLength: 100 }),
    );
    const field = fc.record({
      custom_id: fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 10 })),
      value: text(),
      select: fc.boolean(),
    });
    const interaction = fc.oneof(
      fc.record({ kind: fc.constant('click' as const), user, customId }),
      fc.record({
        kind: fc.constant('modal' as const),
        user,
        customId: modalId,
        fields: fc.array(field, { maxLength: 6 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        interaction.filter((i) => clean(JSON.stringify(i))),
        async (i) => {
          const payload =
            i.kind === 'click' ? clickPayload(i.user, i.customId) : modalPayload(i.user, i.customId, i.fields);
          const r = await discord.interact(payload);
          checkAnswers(r.id);
        },
      ),
      { numRuns: 80, seed: SEED },
    );
  });
});
