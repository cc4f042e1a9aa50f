import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackHarness, startSlackHarness } from './harness.js';

/**
 * Issue 13's agent tools through Slack: signed slash commands into the real Bolt app, the real core
 * on a real database, and a fake Web API that answers users.info with each person's language.
 */
const SITI = 'UAGENTID'; // Slack in Bahasa Indonesia
const JOHN = 'UAGENTEN'; // Slack in English (en-GB)
const SPV = 'USPV';

let h: SlackHarness;

beforeAll(async () => {
  h = await startSlackHarness();
  h.api.userLocales.set(SITI, 'id-ID');
  h.api.userLocales.set(JOHN, 'en-GB');
  await h.command(SPV, `peran <@${SITI}|siti> agent tim=a`);
  await h.command(SPV, `peran <@${JOHN}|john> agent tim=a`);
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const privateText = (r: Awaited<ReturnType<SlackHarness['command']>>) => {
  expect(r.status).toBe(200);
  expect(r.responses[0]?.body.response_type).toBe('ephemeral');
  return String(r.responses[0]?.body.text);
};
const threadTexts = () =>
  h.api
    .ok('chat.postMessage')
    .filter((c) => c.args.thread_ts)
    .map((c) => String(c.args.text));

describe('agent tools on Slack (issue 13)', () => {
  it('English aliases and keys open a ticket; each answer is in its reader’s Slack language, threads in POSKO_LOCALE', async () => {
    const opened = await h.command(
      JOHN,
      'open service=indihome id=122123456789 name="Siti Rahma" contact=0812-3456-7890 complaint="no internet"',
    );
    expect(privateText(opened)).toMatch(/opened/i);
    await h.deliver();
    const note = await h.command(JOHN, 'note GGN-000001 checked with NOSSA');
    expect(privateText(note)).toMatch(/Note saved/);
    await h.deliver();
    // The thread is for the whole team: Bahasa Indonesia (POSKO_LOCALE), whoever wrote.
    expect(threadTexts().some((t) => t.includes('Catatan') && t.includes('checked with NOSSA'))).toBe(true);
    const same = await h.command(SITI, 'catat GGN-000001 sudah dicek');
    // Siti does not handle it: refused, in her own language.
    expect(same.responses[0]?.body.text).toMatch(/Hanya penanggung jawab GGN-000001/);
    // users.info was asked once per person, then remembered.
    const lookups = h.api.ok('users.info').filter((c) => c.args.include_locale);
    expect(lookups.filter((c) => c.args.user === JOHN)).toHaveLength(1);
  });

  it('cari finds by phone in any format and by name fragment, masked; bantuan buka explains it', async () => {
    const byPhone = privateText(await h.command(SITI, 'cari +62 812 3456 7890'));
    expect(byPhone).toContain('GGN-000001');
    expect(byPhone).toContain('+62812****7890');
    expect(byPhone).not.toContain('81234567890');
    const byName = privateText(await h.command(JOHN, 'search rahma'));
    expect(byName).toMatch(/1 ticket matches/);
    expect(byName).toContain('Siti R.');
    const help = privateText(await h.command(SITI, 'bantuan buka'));
    expect(help).toContain('keluhan=');
    expect(help).toContain('Contoh: /tiket buka');
  });

  it('daftar pages by SLA time left with line names; an incomplete buka names every key; a repeated key is refused', async () => {
    const list = privateText(await h.command(SITI, 'daftar milik=tim hal=1'));
    expect(list).toMatch(/GGN-000001 · IndiHome/);
    const far = await h.command(SITI, 'daftar hal=0');
    expect(far.responses[0]?.body.text).toMatch(/`hal`/);
    const incomplete = privateText(await h.command(SITI, 'buka layanan=indihome kontak=0812'));
    for (const key of ['id', 'nama', 'kontak', 'keluhan']) expect(incomplete).toContain(`\`${key}\``);
    const twice = privateText(await h.command(JOHN, 'close GGN-000001 offer=ya tawaran=ya'));
    expect(twice).toMatch(/`tawaran` is given more than once/);
  });

  it('the roster override beats the Slack language', async () => {
    await h.command(SPV, `peran <@${JOHN}|john> agent bahasa=id`);
    expect(privateText(await h.command(JOHN, 'list'))).toMatch(/tiket, urut sisa waktu SLA/);
  });
});
