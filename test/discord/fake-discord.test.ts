/**
 * The fake Discord speaks enough of the real protocol for the real discord.js Client: login
 * through `/gateway/bot`, READY + GUILD_CREATE, interactions answered by reply, defer +
 * editReply, follow-ups and modals, and 204s that discord.js accepts. If discord.js changes
 * what it sends, this file fails before the posko tests do.
 */
import { Client, Events, GatewayIntentBits, MessageFlags, RESTJSONErrorCodes } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord/fake-discord.js';

let fake: FakeDiscord;
let client: Client;
const handled: Promise<unknown>[] = [];

beforeAll(async () => {
  fake = await startFakeDiscord();
  client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
  client.on(Events.InteractionCreate, (interaction) => {
    const work = (async () => {
      if (interaction.isChatInputCommand()) {
        const sub = interaction.options.getSubcommand();
        if (sub === 'lihat') await interaction.reply({ content: 'kartu', flags: MessageFlags.Ephemeral });
        else if (sub === 'daftar') {
          await interaction.deferReply();
          await interaction.editReply({ content: 'daftar selesai' });
          await interaction.followUp({ content: 'lagi', flags: MessageFlags.Ephemeral });
        } else if (sub === 'buka') {
          await interaction.showModal({
            custom_id: 'form:buka',
            title: 'Buka',
            components: [{ type: 1, components: [{ type: 4, custom_id: 'kontak', label: 'Kontak', style: 1 }] }],
          });
        }
      } else if (interaction.isModalSubmit()) {
        await interaction.reply({ content: `kontak=${interaction.fields.getTextInputValue('kontak')}` });
      }
    })();
    handled.push(work);
  });
  const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(fake.token);
  await ready;
});

afterAll(async () => {
  await client?.destroy();
  await fake?.close();
});

describe('fake Discord', () => {
  it('serves the gateway address from /gateway/bot and sends the guild after READY', () => {
    expect(fake.calls.some((c) => c.path === '/gateway/bot' && c.auth === `Bot ${fake.token}`)).toBe(true);
    expect(fake.identifies[0]?.intents).toBe(GatewayIntentBits.Guilds);
    expect(client.guilds.cache.get(fake.guildId)?.channels.cache.has(fake.channelId)).toBe(true);
  });

  it('answers reply, defer + editReply + followUp, and modal round trips', async () => {
    const a = fake.push(fake.slash('111', 'lihat'));
    await fake.until(() => fake.interactions.get(a)!.callbacks.length === 1);
    expect(fake.repliesTo(a)[0]?.flags).toBe(64);

    const b = fake.push(fake.slash('111', 'daftar'));
    await fake.until(() => fake.repliesTo(b).length === 2);
    await Promise.all(handled);
    expect(fake.repliesTo(b).map((m) => m.content)).toEqual(['daftar selesai', 'lagi']);

    const c = fake.push(fake.slash('111', 'buka'));
    await fake.until(() => fake.interactions.get(c)!.callbacks.length === 1);
    const d = fake.push(fake.submit('111', c, { kontak: '0812' }));
    await fake.until(() => fake.repliesTo(d).length === 1);
    expect(fake.repliesTo(d)[0]?.content).toBe('kontak=0812');
    await Promise.all(handled);
  });

  it('refuses a second acknowledgement of one interaction, as Discord does', async () => {
    const a = fake.push(fake.slash('111', 'lihat'));
    await fake.until(() => fake.interactions.get(a)!.callbacks.length === 1);
    await Promise.all(handled);
    const before = handled.length;
    fake.pushAgain(a);
    await fake.until(() => handled.length > before);
    const second = await handled[before]!.then(
      () => null,
      (err) => err,
    );
    expect(second?.code).toBe(RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged);
  });
});
