import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalations, outbox, ticketEvents } from '../../src/db/schema.js';
import { reminders } from '../../src/jobs/reminders.js';
import type { OutboxMessage } from '../../src/outbox/types.js';
import { decideEscalation, requestEscalation } from '../../src/services/escalation.js';
import { informCustomer } from '../../src/services/lifecycle.js';
import { ani, budi, citra, openIndihome, startJobsCore, type TestCore, threadMessages } from './db.js';

const MIN = 60_000;
const t0 = new Date('2026-11-28T01:00:00Z');
let now = t0;
let env: TestCore;

// Inform every 120 min (the default), remind approvers after 30 min, expire after 240 min.
beforeAll(async () => {
  env = await startJobsCore(() => now, {
    POSKO_INFORM_EVERY_MINUTES: '120',
    POSKO_ESCALATION_REMIND_MINUTES: '30',
    POSKO_ESCALATION_EXPIRE_MINUTES: '240',
  });
});
afterAll(async () => {
  await env.close();
});

const plusMin = (minutes: number) => new Date(t0.getTime() + minutes * MIN);
const reminderTexts = async (ticketId: number, needle: string) =>
  (await threadMessages(env.core, ticketId)).filter((m) => m.text.includes(needle));

describe('reminders (P5.9, A8, P5.10)', () => {
  it('P5.9 A8 the assignee is reminded when the customer has not been informed in time, once per interval', async () => {
    now = t0;
    const ticket = await openIndihome(env.core);
    now = plusMin(119);
    await reminders(env.core, now);
    expect(await reminderTexts(ticket.id, '🔔')).toHaveLength(0);

    now = plusMin(120);
    await reminders(env.core, now);
    now = plusMin(200); // same interval: nothing new
    await reminders(env.core, now);
    let sent = await reminderTexts(ticket.id, '🔔');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.mentions).toEqual(['console:ani']);
    expect(sent[0]?.text).toContain(`/tiket kabari ${ticket.number}`);

    now = plusMin(240); // the next interval without news
    await reminders(env.core, now);
    sent = await reminderTexts(ticket.id, '🔔');
    expect(sent).toHaveLength(2);
    const events = await env.core.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticket.id));
    expect(events.filter((e) => e.type === 'reminder')).toHaveLength(2);
  });

  it('P5.9 A8 no reminder when the customer was informed in time', async () => {
    now = t0;
    const ticket = await openIndihome(env.core);
    now = plusMin(100);
    await informCustomer(env.core, ani, ticket.number, 'teknisi menuju lokasi');
    now = plusMin(200); // 100 min since the update: still in time
    await reminders(env.core, now);
    expect(await reminderTexts(ticket.id, '🔔')).toHaveLength(0);
    now = plusMin(220); // 120 min since the update: now it is due
    await reminders(env.core, now);
    expect(await reminderTexts(ticket.id, '🔔')).toHaveLength(1);
  });

  it('P5.10 a waiting escalation reminds its approvers, then expires past the limit and says so', async () => {
    now = t0;
    const ticket = await openIndihome(env.core);
    await requestEscalation(env.core, ani, ticket.number, 'spv', 'perlu percepatan teknisi');
    now = plusMin(29);
    await reminders(env.core, now);
    expect(await reminderTexts(ticket.id, 'eskalasi ke Supervisor dari')).toHaveLength(0);

    now = plusMin(30);
    await reminders(env.core, now);
    await reminders(env.core, now);
    const asked = await reminderTexts(ticket.id, 'menunggu keputusan');
    expect(asked).toHaveLength(1);
    expect(asked[0]?.mentions).toEqual(['console:citra']);
    expect(asked[0]?.mentions).not.toContain('console:ani'); // never the requester

    now = plusMin(240);
    await reminders(env.core, now);
    await reminders(env.core, now);
    const [e] = await env.core.db.select().from(escalations).where(eq(escalations.ticketId, ticket.id));
    expect(e?.status).toBe('expired');
    expect(await reminderTexts(ticket.id, 'kedaluwarsa')).toHaveLength(1);
    const events = await env.core.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticket.id));
    expect(events.filter((x) => x.type === 'escalation_expired')).toHaveLength(1);
    // The request message is edited: buttons gone, the expiry shown.
    const edits = (await env.core.db.select().from(outbox))
      .map((r) => r.payload as unknown as OutboxMessage)
      .filter((m) => m.kind === 'edit' && 'escalation' in m.target && m.target.escalation === e?.id);
    expect(edits).toHaveLength(1);
    expect(edits[0]?.reply.buttons ?? []).toHaveLength(0);
    expect(edits[0]?.reply.text).toContain('⌛');
  });

  it('P5.10 a request to the TL unanswered for POSKO_ESCALATION_TIMEOUT_MINUTES moves up to the supervisors, once', async () => {
    now = t0;
    const ticket = await openIndihome(env.core);
    const { escalation } = await requestEscalation(env.core, ani, ticket.number, 'tl', 'ODP penuh');
    now = plusMin(59);
    await reminders(env.core, now);
    let [e] = await env.core.db.select().from(escalations).where(eq(escalations.id, escalation.id));
    expect(e?.level).toBe('tl');

    now = plusMin(60);
    await reminders(env.core, now);
    await reminders(env.core, now); // a rerun (or a second instance) moves nothing twice
    [e] = await env.core.db.select().from(escalations).where(eq(escalations.id, escalation.id));
    expect(e).toMatchObject({ level: 'spv', status: 'pending' });
    const moved = await reminderTexts(ticket.id, 'dinaikkan otomatis');
    expect(moved).toHaveLength(1);
    expect(moved[0]?.mentions).toEqual(expect.arrayContaining(['console:budi', 'console:citra']));
    const events = await env.core.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticket.id));
    expect(events.filter((x) => x.type === 'escalation_moved').map((x) => x.actor)).toEqual(['posko']);
    // The request message is edited in place: its buttons now ask the supervisors.
    const edits = (await env.core.db.select().from(outbox))
      .map((r) => r.payload as unknown as OutboxMessage)
      .filter((m) => m.kind === 'edit' && 'escalation' in m.target && m.target.escalation === escalation.id);
    expect(edits).toHaveLength(1);
    expect(edits[0]?.reply.buttons?.length).toBe(2);
    expect(edits[0]?.reply.mentions).toEqual(['console:citra']);
    // Now only a supervisor decides it.
    await expect(decideEscalation(env.core, budi, ticket.number, 'approved')).rejects.toMatchObject({
      code: 'forbidden',
    });
    const r = await decideEscalation(env.core, citra, ticket.number, 'approved');
    expect(r.ticket).toMatchObject({ status: 'escalated', escalationLevel: 'spv' });
  });
});
