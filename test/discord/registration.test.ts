/**
 * `/tiket` on Discord is built from the same command registry the console and Slack use: every
 * subcommand and every option of the surface, typed and localised. `npx posko discord register`
 * puts exactly that payload on Discord (guild-scoped or global) and prints it.
 */

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { bind } from '../../src/command/bind.js';
import { loadConfig } from '../../src/config.js';
import { rawFromOptions } from '../../src/platforms/discord/interactions.js';
import { describeRegistration, registerCommands } from '../../src/platforms/discord/register-cli.js';
import {
  buildRegistrationPayload,
  OptionType,
  type RegisteredOption,
} from '../../src/platforms/discord/registration.js';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord/fake-discord.js';
import { POSKO_CLI } from '../helpers/posko-process.js';

/**
 * The ⚓ command surface of DESIGN §3, written out by hand: adding a subcommand or an option to
 * the registry without deciding its place in the surface (or the reverse) fails here.
 */
const SURFACE: Record<string, string[]> = {
  buka: ['layanan', 'id', 'nama', 'kontak', 'keluhan', 'monita', 'baru', 'zona'],
  lihat: ['tiket'],
  daftar: ['status', 'milik', 'hal'],
  saya: [],
  cari: ['teks'],
  catat: ['tiket', 'teks', 'dari'],
  kabari: ['tiket', 'teks'],
  eskalasi: ['tiket', 'teks', 'ke', 'ref'],
  setujui: ['tiket', 'permintaan', 'ref'],
  tolak: ['tiket', 'teks', 'permintaan'],
  ambil: ['tiket'],
  konfirmasi: ['tiket', 'teks', 'hasil', 'puas'],
  // `kode=DUPLIKAT tiket=…`: the primary ticket's key is `tiket-utama` where `tiket` is the positional.
  tutup: ['tiket', 'teks', 'tawaran', 'kode', 'tiket-utama'],
  hubungi: ['tiket', 'teks', 'hasil', 'jam', 'zona'],
  'buka-lagi': ['tiket', 'teks'],
  'ubah-kontak': ['tiket', 'kontak'],
  'buka-data': ['tiket'],
  peran: ['pengguna', 'peran', 'tim', 'antrian', 'bahasa'],
  ringkasan: ['semua'],
  ekspor: ['dari', 'sampai', 'tim', 'penuh'],
  bantuan: ['teks'],
};

/** Values the binder accepts (an incomplete or invalid `buka` is refused while binding). */
const VALID: Record<string, string> = {
  tiket: 'GGN-000001',
  id: '122123456789',
  nama: 'Siti Rahma',
  kontak: '081234567890',
  monita: 'IN12345678',
  hal: '2',
};

const [tiket] = buildRegistrationPayload();
const subs = tiket!.options;
const sub = (name: string) => subs.find((s) => s.name === name)!;
const names = (o: RegisteredOption) => (o.options ?? []).map((x) => x.name).sort();

describe('Discord registration payload', () => {
  it('one /tiket command with a native subcommand for every command of the registry, and nothing else', () => {
    expect(tiket!.name).toBe('tiket');
    expect(subs.every((s) => s.type === OptionType.Subcommand)).toBe(true);
    expect(subs.map((s) => s.name)).toEqual(COMMANDS.map((c) => c.name));
    expect(Object.keys(SURFACE).sort()).toEqual(COMMANDS.map((c) => c.name).sort());
  });

  it.each(COMMANDS.map((c) => [c.name, c] as const))('%s: every option of its spec, typed', (name, spec) => {
    const s = sub(name);
    expect(names(s)).toEqual([...SURFACE[name]!].sort());
    for (const o of spec.options) {
      const registered = s.options!.find((x) => x.name === (o.nativeName ?? o.name))!;
      expect(registered.type).toBe(o.kind === 'yes' ? OptionType.Boolean : OptionType.String);
      if (o.kind === 'choice') expect(registered.choices?.map((c) => c.value)).toEqual([...(o.choices ?? [])]);
      if (!spec.intakeForm) expect(registered.required).toBe(o.required === true);
    }
    const byName = new Map((s.options ?? []).map((o) => [o.name, o]));
    if (spec.positionals.ticket) expect(byName.get('tiket')?.type).toBe(OptionType.String);
    if (spec.positionals.user) expect(byName.get('pengguna')?.type).toBe(OptionType.User);
    if (spec.positionals.role)
      expect(byName.get('peran')?.choices?.map((c) => c.value)).toEqual([...spec.positionals.role.choices]);
    if (spec.positionals.text) expect(byName.get('teks')?.required).toBe(spec.positionals.text === 'required');
    // Discord refuses required options after optional ones
    const required = (s.options ?? []).map((o) => o.required === true);
    expect(required).toEqual([...required].sort((a, b) => Number(b) - Number(a)));
  });

  it('layanan offers the service lines as choices, labelled in both languages', () => {
    const layanan = sub('buka').options!.find((o) => o.name === 'layanan')!;
    expect(layanan.choices?.map((c) => c.value)).toEqual(['indihome', 'internet', 'telepon', 'global', 'imes']);
    expect(layanan.choices?.find((c) => c.value === 'internet')?.name_localizations?.['en-US']).toBeTruthy();
  });

  it('names and descriptions are localised for id and en-US within Discord limits', () => {
    const all: RegisteredOption[] = [
      tiket as unknown as RegisteredOption,
      ...subs,
      ...subs.flatMap((s) => s.options ?? []),
    ];
    for (const o of all) {
      expect(o.name).toMatch(/^[-_\p{Ll}\p{N}]{1,32}$/u);
      expect(Object.keys(o.name_localizations).sort()).toEqual(['en-US', 'id']);
      expect(Object.keys(o.description_localizations).sort()).toEqual(['en-US', 'id']);
      for (const d of [o.description, ...Object.values(o.description_localizations)]) {
        expect(d.length).toBeGreaterThan(0);
        expect(d.length).toBeLessThanOrEqual(100);
      }
    }
    expect(sub('buka').description_localizations['en-US']).not.toBe(sub('buka').description_localizations.id);
  });

  it("fits Discord's limits: 25 subcommands, options and choices; 8000 characters per locale", () => {
    expect(subs.length).toBeLessThanOrEqual(25);
    for (const s of subs) {
      expect((s.options ?? []).length).toBeLessThanOrEqual(25);
      for (const o of s.options ?? []) expect((o.choices ?? []).length).toBeLessThanOrEqual(25);
    }
    type Sized = { name: string; description?: string; value?: unknown; options?: Sized[]; choices?: Sized[] };
    const size = (o: Sized): number =>
      o.name.length +
      (o.description?.length ?? 0) +
      String(o.value ?? '').length +
      [...(o.options ?? []), ...(o.choices ?? [])].reduce((sum, x) => sum + size(x), 0);
    for (const locale of ['id', 'en'] as const) {
      const [command] = buildRegistrationPayload(COMMANDS, locale);
      expect(size(command as unknown as Sized)).toBeLessThanOrEqual(8000);
    }
  });

  it.each(COMMANDS.map((c) => [c.name, c] as const))(
    '%s: a Discord interaction with every registered option binds to the same grammar',
    (name, spec) => {
      const options = (sub(name).options ?? []).map((o) => ({
        name: o.name,
        type: o.type,
        value:
          o.type === OptionType.User
            ? '400000000000000009'
            : o.type === OptionType.Boolean
              ? true
              : (o.choices?.[0]?.value ?? VALID[o.name] ?? 'sesuatu'),
      }));
      const raw = rawFromOptions(name, options);
      const bound = bind(spec, raw, 'discord');
      if (spec.positionals.user) expect(bound.user).toBe('discord:400000000000000009');
      if (spec.positionals.ticket) expect(bound.ticket).toBe('GGN-000001');
      for (const o of spec.options) expect(bound.options[o.name]).toBeDefined();
    },
  );
});

describe('npx posko discord register', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await startFakeDiscord();
  });
  afterAll(async () => {
    await fake?.close();
  });
  const env = (extra: Record<string, string>) =>
    loadConfig({ DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, ...extra } as NodeJS.ProcessEnv, '');

  it('registers globally without DISCORD_GUILD_ID, finding the application from the token', async () => {
    const result = await registerCommands(env({}));
    expect(result.scope).toBe('global');
    const put = fake.calls.find((c) => c.method === 'PUT')!;
    expect(put.path).toBe(`/applications/${fake.applicationId}/commands`);
    expect(put.body).toEqual(JSON.parse(JSON.stringify(buildRegistrationPayload())));
    expect(fake.calls.some((c) => c.path === '/applications/@me')).toBe(true);
    expect(describeRegistration(result)).toContain('global');
  });

  it('the CLI registers in the guild with DISCORD_GUILD_ID and prints every subcommand', async () => {
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, [...POSKO_CLI, 'discord', 'register'], {
      env: {
        ...process.env,
        DISCORD_TOKEN: fake.token,
        DISCORD_API_URL: fake.apiUrl,
        DISCORD_APPLICATION_ID: fake.applicationId,
        DISCORD_GUILD_ID: fake.guildId,
        DATABASE_URL: 'memory://',
      },
    });
    const registered = fake.commands.get(fake.guildId);
    expect(registered?.[0]?.options.map((o: { name: string }) => o.name)).toEqual(COMMANDS.map((c) => c.name));
    expect(stdout).toContain(`guild ${fake.guildId}`);
    for (const c of COMMANDS) expect(stdout).toContain(`/tiket ${c.name}`);
    expect(stdout).toMatch(/\/tiket peran pengguna\* peran\*/);
  });
});
