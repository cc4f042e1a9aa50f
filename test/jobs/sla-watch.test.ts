import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobRuns, ticketAlerts, ticketEvents, tickets } from '../../src/db/schema.js';
import { runJobNow, UnknownJob } from '../../src/jobs/scheduler.js';
import { slaWatch } from '../../src/jobs/sla-watch.js';
import { callCustomer } from '../../src/services/calls.js';
import { closeTicket, confirmResult } from '../../src/services/lifecycle.js';
import { ani, openFor, openIndihome, startJobsCore, type TestCore, threadMessages } from './db.js';

const HOUR = 3_600_000;
const t0 = new Date('2026-11-28T01:00:00Z');
let now = t0;
let env: TestCore;

beforeAll(async () => {
  env = await startJobsCore(() => now);
});
afterAll(async () => {
  await env.close();
});

const at = (hours: number) => new Date(t0.getTime() + hours * HOUR);
const eventsOf = async (ticketId: number, type: string) =>
  (await env.core.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId))).filter(
    (e) => e.type === type,
  );

describe('sla-watch (A7)', () => {
  it('A7 the SLA warning at 75 % and the breach at 100 % each fire once per ticket, the breach tagging the team leader', async () => {
    now = t0;
    const ticket = await openIndihome(env.core); // IndiHome Reguler: 24 h SLA
    const { core } = env;

    now = at(17.9); // 74.6 %: nothing yet
    expect((await slaWatch(core, now)).queued).toBe(0);

    now = at(18); // 75 %
    expect((await slaWatch(core, now)).detail).toBe('1 SLA warnings, 0 breaches');
    now = at(18.5);
    expect((await slaWatch(core, now)).queued).toBe(0); // a rerun sends nothing new
    let msgs = await threadMessages(core, ticket.id);
    expect(msgs.filter((m) => m.text.includes('75%'))).toHaveLength(1);
    expect(msgs.at(-1)?.text).toMatch(new RegExp(`^${ticket.number} · `));
    expect(msgs.at(-1)?.mentions).toEqual(['console:ani']);

    now = at(24); // 100 %
    expect((await slaWatch(core, now)).detail).toBe('0 SLA warnings, 1 breaches');
    now = at(30);
    await slaWatch(core, now);
    await slaWatch(core, now);
    msgs = await threadMessages(core, ticket.id);
    const breach = msgs.filter((m) => m.text.includes('🚨'));
    expect(breach).toHaveLength(1);
    expect(breach[0]?.text).toContain('<@console:budi>');
    expect(breach[0]?.mentions).toContain('console:budi');
    expect(await eventsOf(ticket.id, 'sla_warning')).toHaveLength(1);
    expect(await eventsOf(ticket.id, 'sla_breach')).toHaveLength(1);
  });

  it('A7 the warning fires at 75 % of the running time: a 10-hour pause moves it by 10 hours, not by a share of them', async () => {
    now = t0;
    const ticket = await openFor(env.core, ani, 'internet'); // Internet Reguler: 8 h SLA, due at(8)
    now = at(1); // 09.00 WIB: the customer asks to be called back at 19.00 WIB, at(11)
    await callCustomer(env.core, ani, ticket.number, { outcome: 'minta-dihubungi-lagi', time: '19.00' });
    now = at(11);
    await callCustomer(env.core, ani, ticket.number, { outcome: 'tersambung' }); // the clock runs again
    const [resumed] = await env.core.db.select().from(tickets).where(eq(tickets.id, ticket.id));
    expect(resumed?.slaDueAt).toEqual(at(18));

    now = at(15.9); // 5.9 h run of 8: 74 % (75 % of the wall time since opening was at(13.5))
    expect((await slaWatch(env.core, now)).queued).toBe(0);
    now = at(16); // 6 h run: 75 %
    expect((await slaWatch(env.core, now)).detail).toBe('1 SLA warnings, 0 breaches');
  });

  it('A7 a ticket first seen past its due time gets the breach alone, never a late warning', async () => {
    now = t0;
    const ticket = await openIndihome(env.core);
    now = at(25);
    await slaWatch(env.core, now);
    now = at(26);
    await slaWatch(env.core, now);
    const kinds = (await env.core.db.select().from(ticketAlerts).where(eq(ticketAlerts.ticketId, ticket.id))).map(
      (a) => a.kind,
    );
    expect(kinds.sort()).toEqual(['sla_breach', 'sla_warning']);
    expect(await eventsOf(ticket.id, 'sla_warning')).toHaveLength(0);
    expect(await eventsOf(ticket.id, 'sla_breach')).toHaveLength(1);
  });

  it('A7 a ticket confirmed or closed in time is never alerted', async () => {
    now = t0;
    const ticket = await openIndihome(env.core);
    const budi = { userKey: 'console:budi', role: 'team_leader', team: 'a', queue: 'reguler' } as const;
    now = at(2);
    await confirmResult(env.core, budi, ticket.number, 'ok');
    now = at(3);
    await closeTicket(env.core, budi, ticket.number, { offer: true });
    now = at(40);
    await slaWatch(env.core, now);
    const [row] = await env.core.db.select().from(tickets).where(eq(tickets.id, ticket.id));
    expect(row?.status).toBe('closed');
    expect(await eventsOf(ticket.id, 'sla_warning')).toHaveLength(0);
    expect(await eventsOf(ticket.id, 'sla_breach')).toHaveLength(0);
  });

  it('runs now by name (npx posko job, the console), recorded in job_runs as a manual run', async () => {
    now = at(50);
    const result = await runJobNow(env.core, 'sla-watch');
    expect(result.detail).toMatch(/SLA warnings/);
    const runs = await env.core.db.select().from(jobRuns).where(eq(jobRuns.job, 'sla-watch'));
    expect(runs.map((r) => [r.slot.toISOString(), r.ok, r.instance.startsWith('manual:')])).toEqual([
      [now.toISOString(), true, true],
    ]);
    await expect(runJobNow(env.core, 'nope')).rejects.toBeInstanceOf(UnknownJob);
  });
});
