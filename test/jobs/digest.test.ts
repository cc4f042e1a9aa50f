import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox, tickets } from '../../src/db/schema.js';
import { digest } from '../../src/jobs/digest.js';
import type { OutboxMessage } from '../../src/outbox/types.js';
import { appendEvent } from '../../src/services/audit.js';
import { buildDigest, currentShift, digestFigures } from '../../src/services/digest.js';
import { decideEscalation, requestEscalation } from '../../src/services/escalation.js';
import { closeTicket, confirmResult, informCustomer } from '../../src/services/lifecycle.js';
import { ani, budi, openFor, startJobsCore, type TestCore } from './db.js';

let now = new Date('2026-11-27T10:00:00Z');
let env: TestCore;
const set = (iso: string) => {
  now = new Date(iso);
};

/**
 * The shift 07:00–15:00 WIB = 00:00–08:00 UTC on 28 Nov, digest at 08:00Z, updates due every 120 min.
 *   T1 indihome opened 27th 20:00, informed 21:00, confirmed, closed 01:00 — in SLA; a 4 h gap before closing
 *   T2 indihome opened 00:30, informed 01:00 and 02:30, closed 04:00 — in SLA, informed on time
 *   T3 internet opened 27th 22:00 (due 06:00), informed 23:30, closed 07:00 — SLA breached in the period
 *   T4 indihome opened 01:00 by ani, never informed, escalation waiting — an overdue update
 *   T5 internet opened 06:30 by budi, informed 07:00
 *   T6 internet opened 27th 10:00 (due 18:00), escalated, informed 07:30 — open past its SLA
 *   T7 imported: closed 02:00 without confirmation, offer or any update
 */
beforeAll(async () => {
  env = await startJobsCore(() => now);
  const { core } = env;
  set('2026-11-27T10:00:00Z');
  const t6 = await openFor(core, ani, 'internet');
  set('2026-11-27T20:00:00Z');
  const t1 = await openFor(core, ani, 'indihome');
  set('2026-11-27T21:00:00Z');
  await informCustomer(core, ani, t1.number, 'teknisi dijadwalkan');
  set('2026-11-27T22:00:00Z');
  const t3 = await openFor(core, ani, 'internet');
  await confirmResult(core, ani, t1.number, 'ok');
  set('2026-11-27T23:30:00Z');
  await informCustomer(core, ani, t3.number, 'menunggu teknisi');
  set('2026-11-28T00:30:00Z');
  const t2 = await openFor(core, ani, 'indihome');
  set('2026-11-28T01:00:00Z');
  await closeTicket(core, ani, t1.number, { offer: true });
  await informCustomer(core, ani, t2.number, 'teknisi menuju lokasi');
  const t4 = await openFor(core, ani, 'indihome');
  set('2026-11-28T02:00:00Z');
  await requestEscalation(core, ani, t4.number, 'tl', 'pelanggan VIP');
  set('2026-11-28T02:30:00Z');
  await informCustomer(core, ani, t2.number, 'perbaikan kabel');
  set('2026-11-28T03:30:00Z');
  await confirmResult(core, ani, t2.number, 'ok');
  set('2026-11-28T04:00:00Z');
  await closeTicket(core, ani, t2.number, { offer: true });
  set('2026-11-28T06:30:00Z');
  await confirmResult(core, ani, t3.number, 'ok');
  const t5 = await openFor(core, budi, 'internet');
  set('2026-11-28T07:00:00Z');
  await closeTicket(core, ani, t3.number, { offer: true });
  await informCustomer(core, budi, t5.number, 'sedang dicek');
  set('2026-11-28T07:30:00Z');
  await informCustomer(core, ani, t6.number, 'perlu teknisi senior');
  set('2026-11-28T07:40:00Z');
  await requestEscalation(core, ani, t6.number, 'tl', 'lewat SLA');
  await decideEscalation(core, budi, t6.number, 'approved');
  // T7: a ticket imported as closed, never confirmed, offered or updated.
  const [t7] = await core.db
    .insert(tickets)
    .values({
      service: 'indihome',
      queue: 'reguler',
      team: 'a',
      customerId: '122100000007',
      customerName: 'Impor Lama',
      contact: '+6281200000007',
      complaint: 'impor',
      status: 'closed',
      assignee: 'console:ani',
      openedBy: 'console:ani',
      platform: 'console',
      channel: 'team-a',
      slaDueAt: new Date('2026-11-28T23:00:00Z'),
      createdAt: new Date('2026-11-27T23:00:00Z'),
      updatedAt: new Date('2026-11-28T02:00:00Z'),
      closedAt: new Date('2026-11-28T02:00:00Z'),
    })
    .returning();
  await core.db.transaction(async (tx) => {
    await appendEvent(tx, t7!.id, 'opened', 'console:ani', new Date('2026-11-27T23:00:00Z'));
    await appendEvent(tx, t7!.id, 'closed', 'console:ani', new Date('2026-11-28T02:00:00Z'), { offer: false });
  });
  set('2026-11-28T08:00:00Z');
});
afterAll(async () => {
  await env.close();
});

describe('digest (SOP §7 KPIs)', () => {
  it('the shift runs from the previous DIGEST_CRON fire (07:00 WIB) to now', () => {
    expect(currentShift(env.core, now)).toEqual({ from: new Date('2026-11-28T00:00:00Z'), to: now });
    expect(currentShift(env.core, new Date('2026-11-28T03:30:00Z')).from).toEqual(new Date('2026-11-28T00:00:00Z'));
  });

  it('A7 A8 A10 A11 A13 the figures match a seeded shift whose answers are known', async () => {
    const f = await digestFigures(env.core, now, currentShift(env.core, now));
    expect(f.openByStatus).toEqual({ open: 2, escalated: 1 });
    expect(f.openTotal).toBe(3);
    expect(f.opened).toBe(3); // T2, T4, T5
    expect(f.closed).toBe(4); // T1, T2, T3, T7
    expect(f.breachedOpen).toBe(1); // T6
    expect(f.breachedInPeriod).toBe(1); // T3
    expect(f.waitingEscalations).toBe(1); // T4
    expect(f.overdueUpdates).toBe(1); // T4
    expect(f.load).toEqual([
      { assignee: 'console:ani', open: 2 },
      { assignee: 'console:budi', open: 1 },
    ]);
    expect(f.kpi).toEqual({
      // Judged at confirmation: T1 (22:00) and T2 in time; T3 confirmed 06:30 after its 06:00 due time;
      // T7 was never judged (imported without a verdict).
      closedWithinSla: { n: 2, of: 4 },
      closedPerStandard: { n: 3, of: 4 }, // all but T7 (no confirmation, no offer)
      closedNoContact: 0,
      // T1: 60 min to the update, 60 to the confirmation; T2: 30, 90, 60. T3 had 7 h of silence; T7 none at all.
      informedOnTime: { n: 2, of: 4 },
      firstContactResolution: { n: 3, of: 3 }, // T1, T2, T3 confirmed ok at the first try (T7 is no standard close)
      repeatContacts: { n: 0, of: 4 },
      callAttemptsPerTicket: 0,
      medianFirstContactMinutes: 75, // T2 30, T1 60, T3 90, T7 never: the middle two
      medianEscalationDecisionMinutes: 0, // T6 approved at once
      escalationsMovedUp: { n: 0, of: 2 }, // T4 and T6 asked the TL; neither moved up
    });
  });

  it('reads at a glance: one short line per figure, KPIs as percentages with their counts', async () => {
    const reply = await buildDigest(env.core, now);
    expect(reply.ticket).toBeNull();
    expect(reply.error).toBeNull();
    expect(reply.text.split('\n')).toEqual([
      expect.stringMatching(/^📊 Ringkasan/),
      '3 terbuka · 1 lewat SLA · 1 eskalasi menunggu · 1 belum dikabari',
    ]);
    const lines = (reply.fields ?? []).map((x) => `${x.label}: ${x.value}`);
    expect(lines).toContain('KPI ditutup dalam SLA (A7): 50% (2/4)');
    expect(lines).toContain('KPI dikabari tepat waktu (A8): 50% (2/4)');
    expect(lines).toContain('Median kontak pertama (P5.9): 1 j 15 mnt');
    expect(lines.every((l) => l.length <= 80)).toBe(true);
  });

  it('the digest job sends it to each supervisor by DM and to the digest channel, once per minute', async () => {
    const before = await env.core.db.select().from(outbox);
    const result = await digest(
      { ...env.core, config: { ...env.core.config, POSKO_DIGEST_CHANNEL: 'console:ops' } },
      now,
    );
    expect(result.queued).toBe(2);
    await digest({ ...env.core, config: { ...env.core.config, POSKO_DIGEST_CHANNEL: 'console:ops' } }, now);
    const rows = (await env.core.db.select().from(outbox)).slice(before.length);
    expect(rows.map((r) => [r.platform, r.channel])).toEqual([
      ['console', 'dm:console:citra'],
      ['console', 'ops'],
    ]);
    const dm = rows[0]?.payload as unknown as OutboxMessage | undefined;
    expect(dm?.kind === 'post' && dm.dmTo).toBe('console:citra');
  });
});
