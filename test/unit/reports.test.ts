import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.js';
import { toMrkdwn } from '../../src/platforms/slack/mrkdwn.js';
import type { AtRisk } from '../../src/reports/at-risk.js';
import { riskFields, SHORT_LIST } from '../../src/reports/digest-view.js';
import { threadLink, ticketLink } from '../../src/reports/links.js';
import { readRisk } from '../../src/reports/risk.js';

const now = new Date('2026-12-01T10:00:00Z');
const h = (n: number) => new Date(now.getTime() + n * 3_600_000);
const base = {
  createdAt: h(-5),
  slaDueAt: h(1),
  pausedSince: null,
  lastInformedAt: h(-1),
  slaHours: 6,
  pendingEscalation: false,
};

describe('A7 A8 readRisk', () => {
  it('under 25 % of the SLA left is at risk; at or past the due time is breached', () => {
    expect(readRisk(base, now, 120)).toEqual({ msLeft: 3_600_000, shareLeft: 1 / 6, kinds: ['low'] });
    expect(readRisk({ ...base, slaDueAt: h(2) }, now, 120).kinds).toEqual([]); // a third left
    expect(readRisk({ ...base, slaDueAt: now }, now, 120).kinds).toEqual(['breached']);
  });

  it('a paused clock is frozen where the pause began, and a paused ticket is not "not informed"', () => {
    const paused = { ...base, slaDueAt: h(-1), pausedSince: h(-3), lastInformedAt: h(-8) };
    // Paused with 2 h left: still 2 h left however long the pause.
    expect(readRisk(paused, now, 120)).toMatchObject({ msLeft: 2 * 3_600_000, kinds: [] });
  });

  it('P5.9 P5.10 a waiting approval and a silence of POSKO_INFORM_EVERY_MINUTES are reasons of their own', () => {
    const waiting = { ...base, slaDueAt: h(20), pendingEscalation: true, lastInformedAt: null };
    expect(readRisk(waiting, now, 120).kinds).toEqual(['approval', 'uninformed']);
    expect(readRisk({ ...waiting, lastInformedAt: h(-1) }, now, 120).kinds).toEqual(['approval']);
  });
});

describe('links to a ticket thread', () => {
  it('Slack: the workspace-free archive link to the card; Discord: the thread, with the guild; console: none', () => {
    const slack = { platform: 'slack', channel: 'C0TEAM', messageId: '1700000000.000123' };
    expect(threadLink(slack, {})).toBe('https://slack.com/archives/C0TEAM/p1700000000000123');
    const discord = { platform: 'discord', channel: '111', messageId: '222', threadId: '333' };
    expect(threadLink(discord, { discordGuildId: '999' })).toBe('https://discord.com/channels/999/333');
    expect(threadLink({ ...discord, threadId: undefined }, { discordGuildId: '999' })).toBe(
      'https://discord.com/channels/999/111/222',
    );
    expect(threadLink(discord, {})).toBeNull();
    expect(threadLink({ platform: 'console', channel: 'console', messageId: '4' }, {})).toBeNull();
    expect(threadLink(null, {})).toBeNull();
  });

  it('Slack renders only a ticket link as a link; anything else in brackets stays escaped text', () => {
    const text = `${ticketLink('GGN-000042', 'https://slack.com/archives/C1/p1')} · [klik](https://evil.example) <!channel>`;
    expect(toMrkdwn(text)).toBe(
      '<https://slack.com/archives/C1/p1|GGN-000042> · [klik](https://evil.example) &lt;!channel&gt;',
    );
  });
});

describe('the short at-risk list', () => {
  it(`shows ${SHORT_LIST} lines and says how many more, pointing to "ringkasan semua=ya"`, () => {
    const risk: AtRisk = {
      leaders: new Map([['a', ['console:budi']]]),
      tickets: Array.from({ length: SHORT_LIST + 3 }, (_, i) => ({
        number: `GGN-00000${i + 1}`,
        team: 'a',
        assignee: 'console:ani',
        paused: false,
        link: null,
        reading: { msLeft: (i - 2) * 600_000, shareLeft: 0.1, kinds: [i < 2 ? 'breached' : 'low'] },
      })),
    };
    const [list, perTl] = riskFields(translator('id'), risk, false);
    const lines = list!.value.split('\n');
    expect(lines).toHaveLength(SHORT_LIST + 1);
    expect(lines.at(-1)).toBe('… 3 lagi: `ringkasan semua=ya`');
    expect(lines[0]).toBe('🔴 GGN-000001 lewat 20 mnt · <@console:ani>');
    expect(perTl?.value).toBe(`<@console:budi> (tim a) ${SHORT_LIST + 3}`);
  });
});
