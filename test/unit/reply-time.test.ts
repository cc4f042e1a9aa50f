import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.js';
import { renderPlain } from '../../src/platforms/console/render.js';
import { discordTime, renderMessage } from '../../src/platforms/discord/render.js';
import { renderReply, slackTime } from '../../src/platforms/slack/blocks.js';
import type { Reply } from '../../src/reply.js';
import { ticketTime } from '../../src/services/present.js';

/**
 * Issue 16.4: a time is a token in the Reply (unix + the customer's clock as fallback); each
 * renderer formats it natively, the console shows the fallback with the zone's name.
 */
const present = (locale: 'id' | 'en') => ({
  t: translator(locale),
  locale,
  config: { POSKO_TIMEZONE: 'Asia/Jakarta' } as never,
});
// 2026-12-03 07:00 UTC = 14.00 WIB = 15.00 WITA = 16.00 WIT
const AT = new Date('2026-12-03T07:00:00Z');
const UNIX = AT.getTime() / 1000;

describe('time tokens', () => {
  it("the fallback is the customer's clock with its zone's name", () => {
    // (ICU versions differ on a comma after the date.)
    const wita = ticketTime(present('id'), { customerZone: 'WITA' }, AT);
    expect(wita.unix).toBe(UNIX);
    expect(wita.text).toMatch(/^3 Des,? 15\.00 WITA$/);
    expect(ticketTime(present('id'), { customerZone: 'WIT' }, AT).text).toMatch(/^3 Des,? 16\.00 WIT$/);
    expect(ticketTime(present('en'), { customerZone: null }, AT).text).toMatch(/^3 Dec,? 14:00 WIB$/);
  });

  const due = ticketTime(present('id'), { customerZone: 'WITA' }, AT);
  const reply: Reply = {
    audience: 'channel',
    ticket: 'GGN-000042',
    error: null,
    title: 'GGN-000042 · IndiHome',
    text: `GGN-000042 · SLA ${due.text}`,
    times: [due],
    fields: [{ label: 'Batas SLA', value: `${due.text} · dijeda`, times: [due] }],
  };

  it('Slack: <!date^unix^{date_short_pretty} {time}|fallback> in the card; the notification text stays plain', () => {
    expect(slackTime(due)).toBe(`<!date^${UNIX}^{date_short_pretty} {time}|${due.text}>`);
    const msg = renderReply(reply);
    const blocks = JSON.stringify(msg.blocks);
    expect(blocks).toContain(`*Batas SLA*\\n<!date^${UNIX}^{date_short_pretty} {time}|${due.text}> · dijeda`);
    expect(blocks).toContain(`SLA <!date^${UNIX}^`);
    expect(msg.text).toBe(`GGN-000042 · SLA ${due.text}`);
  });

  it('Discord: <t:unix:f> and the live <t:unix:R> countdown', () => {
    expect(discordTime(due)).toBe(`<t:${UNIX}:f> (<t:${UNIX}:R>)`);
    const body = renderMessage(reply);
    expect(body.content).toBe(`GGN-000042 · SLA <t:${UNIX}:f> (<t:${UNIX}:R>)`);
    const field = ((body.embeds[0]?.fields ?? []) as { name: string; value: string }[])[0];
    expect(field?.value).toBe(`<t:${UNIX}:f> (<t:${UNIX}:R>) · dijeda`);
  });

  it("console: the customer's clock and zone, no platform syntax", () => {
    const text = renderPlain(reply, translator('id'));
    expect(text).toContain(`Batas SLA: ${due.text} · dijeda`);
    expect(text).toContain('WITA');
    expect(text).not.toMatch(/<t:|<!date/);
  });

  it('a typed text that looks like a time is not turned into one', () => {
    const msg = renderReply({ ...reply, times: undefined, fields: [{ label: 'x', value: due.text }] });
    expect(JSON.stringify(msg.blocks)).not.toContain('<!date');
  });
});
