/**
 * One real posko core (PGlite, or PostgreSQL with TEST_DATABASE_URL) and one real discord.js
 * Client logged in to the fake Discord (gateway + REST). Interactions are pushed over the
 * gateway as Discord sends them; the outbox is drained through the real Discord deliverer.
 */
import { Events, type Interaction } from 'discord.js';
import { count } from 'drizzle-orm';
import { outbox, tickets } from '../../src/db/schema.js';
import { deliverDue } from '../../src/outbox/worker.js';
import { createDiscordBot } from '../../src/platforms/discord/bot.js';
import {
  EPHEMERAL,
  type FakeDiscord,
  type FakeDiscordOptions,
  type FakeMessage,
  startFakeDiscord,
} from '../fakes/discord/fake-discord.js';
import { startJobsCore } from '../jobs/db.js';

/** The team: a supervisor (POSKO_ADMINS), a team leader, two agents of team a. */
export const CITRA = '400000000000000001';
export const BUDI = '400000000000000002';
export const ANI = '400000000000000003';
export const DODI = '400000000000000004';

export async function startDiscordHarness(opts: { env?: Record<string, string>; fake?: FakeDiscordOptions } = {}) {
  const fake = await startFakeDiscord(opts.fake);
  fake.user(CITRA, 'citra');
  fake.user(BUDI, 'budi');
  fake.user(ANI, 'ani');
  fake.user(DODI, 'dodi');
  let now = new Date('2026-12-01T02:00:00Z');
  const test = await startJobsCore(() => now, {
    POSKO_ADMINS: `discord:${CITRA}`,
    DISCORD_TOKEN: fake.token,
    DISCORD_API_URL: fake.apiUrl,
    ...opts.env,
  });
  const { core } = test;
  const bot = createDiscordBot(core);
  await bot.start();

  /** Pushes an interaction and resolves once posko has finished answering it. */
  async function interact(payload: { id: string }) {
    const arrived = new Promise<void>((resolve) => {
      const on = (i: Interaction) => {
        if (i.id !== payload.id) return;
        bot.client.off(Events.InteractionCreate, on);
        resolve();
      };
      bot.client.on(Events.InteractionCreate, on);
    });
    const id = fake.push(payload);
    await arrived;
    await bot.idle();
    return { id, replies: fake.repliesTo(id), callbacks: fake.interactions.get(id)!.callbacks };
  }

  const h = {
    fake,
    core,
    bot,
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
    interact,
    /** `/tiket <sub>` with native options, as `userId`. */
    slash: (userId: string, sub: string, options: Parameters<FakeDiscord['slash']>[2] = {}) =>
      interact(fake.slash(userId, sub, options)),
    /** A message context-menu command used on a message. */
    messageCommand: (userId: string, name: string, message: { id: string; content: string }) =>
      interact(fake.messageCommand(userId, name, message)),
    click: (userId: string, messageId: string, customId: string) => interact(fake.click(userId, messageId, customId)),
    submit: (userId: string, openedBy: string, values: Record<string, string>) =>
      interact(fake.submit(userId, openedBy, values)),
    /** The same interaction delivered again. */
    async again(interactionId: string) {
      const before = fake.calls.length;
      fake.pushAgain(interactionId);
      await fake.until(() => fake.calls.length > before);
      await bot.idle();
    },
    /** Drains the outbox through the Discord deliverer until nothing is due. */
    async deliver() {
      let total = 0;
      for (;;) {
        const n = await deliverDue(core, bot.deliverer);
        if (n === 0) return total;
        total += n;
      }
    },
    /** The only private reply an interaction got (its text and embed). */
    privateReply(interactionId: string): FakeMessage {
      const replies = fake.repliesTo(interactionId);
      const first = replies[0];
      if (!first || (first.flags & EPHEMERAL) === 0) throw new Error(`no private reply to ${interactionId}`);
      return first;
    },
    async counts() {
      const [t] = await core.db.select({ n: count() }).from(tickets);
      const [o] = await core.db.select({ n: count() }).from(outbox);
      return { tickets: t!.n, outbox: o!.n };
    },
    /** Everything a message shows: content, embed title/fields/footer, button labels. */
    shown(m: FakeMessage): string {
      const embeds = m.embeds.map((e) =>
        [
          e.title,
          e.description,
          ...(e.fields ?? []).map((f: { name: string; value: string }) => `${f.name}: ${f.value}`),
          e.footer?.text,
        ]
          .filter(Boolean)
          .join('\n'),
      );
      const buttons = m.components.flatMap((r) => (r.components ?? []).map((c: { label?: string }) => c.label));
      return [m.content, ...embeds, ...buttons].join('\n');
    },
    customIds(m: FakeMessage): string[] {
      return m.components.flatMap((r) => (r.components ?? []).map((c: { custom_id: string }) => c.custom_id));
    },
    async close() {
      await bot.stop();
      await test.close();
      await fake.close();
    },
  };
  return h;
}

export type DiscordHarness = Awaited<ReturnType<typeof startDiscordHarness>>;
