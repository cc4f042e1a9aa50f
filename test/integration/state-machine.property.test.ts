import { eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { tickets } from '../../src/db/schema.js';
import { levelRank, stateViolations } from '../../src/domain/ticket-state.js';
import { reminders } from '../../src/jobs/reminders.js';
import { customerId, openLine, startTestCore, TEST_DATABASE_URL, type TestCore } from '../helpers/core.js';

/**
 * Issue 11: random command sequences by random roles, through the real dispatcher on a real
 * database; after every step the record must hold: closed ⇒ no waiting escalation, the level never
 * goes down, status and timestamps agree, every change has its event, and a refused command
 * changes nothing at all. 2,000 sequences on PGlite, 200 on PostgreSQL (PROPERTY_RUNS overrides).
 */
const RUNS = Number(process.env.PROPERTY_RUNS) || (TEST_DATABASE_URL ? 200 : 2000);
/**
 * Sequences per database: one embedded database that keeps growing over thousands of sequences
 * slows every later step (and holds well over a gigabyte), so each chunk starts on a fresh one.
 */
const CHUNK = 250;
const chunks = Array.from({ length: Math.ceil(RUNS / CHUNK) }, (_, i) => Math.min(CHUNK, RUNS - i * CHUNK));

let t: TestCore;
async function freshCore(): Promise<void> {
  await t?.close();
  t = await startTestCore();
  // A second agent of the team, who is not the assignee.
  expect((await t.run('citra', 'peran eko agent tim=a')).error).toBeNull();
}
afterAll(() => t?.close());

const USERS = ['ani', 'eko', 'budi', 'citra'] as const;
const CALLS = ['tersambung', 'tidak-diangkat', 'sibuk', 'salah-sambung'] as const;

/** One step: a command line template (N is the ticket), or the reminders job after time passes. */
type Step = { user: (typeof USERS)[number]; line: string; minutes: number } | { job: 'reminders'; minutes: number };

const line = fc.oneof(
  fc.constant('catat N koordinasi NOSSA'),
  fc.constant('catat N dari=telkom sudah diperbaiki'),
  fc.constant('kabari N teknisi menuju lokasi'),
  fc.constantFrom(...CALLS).map((o) => `hubungi N hasil=${o}`),
  fc.constant('hubungi N hasil=minta-dihubungi-lagi jam=15.00'),
  fc.constantFrom('tl', 'spv', 'telkom').map((l) => `eskalasi N ke=${l} perlu percepatan`),
  fc.constant('setujui N'),
  fc.constant('tolak N cek redaman dulu'),
  fc.constant('ambil N'),
  fc.constantFrom('ok', 'gagal').map((r) => `konfirmasi N hasil=${r}`),
  fc.constant('tutup N tawaran=ya kode=FIXED'),
  fc.constant('tutup N'),
  fc.constant('tutup N kode=TIDAK-TERHUBUNG'),
  fc.constant('tutup N kode=BATAL tawaran=ya pelanggan batal'),
  fc.constant('buka-lagi N keluhan muncul lagi'),
  fc.constant('ubah-kontak N kontak=081298765432'),
);
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 9,
    arbitrary: fc.record({ user: fc.constantFrom(...USERS), line, minutes: fc.integer({ min: 0, max: 90 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ job: fc.constant('reminders' as const), minutes: fc.integer({ min: 30, max: 400 }) }),
  },
);

async function snapshot(number: string) {
  const [r] = await t.core.db
    .select({
      ticket: tickets,
      events: sql<number>`(SELECT count(*)::int FROM ticket_events e WHERE e.ticket_id = "tickets"."id")`,
      pending: sql<number>`(SELECT count(*)::int FROM escalations x WHERE x.ticket_id = "tickets"."id" AND x.status = 'pending')`,
      outbox: sql<number>`(SELECT coalesce(max(id), 0) FROM outbox)`,
      lastConfirmation: sql<
        string | null
      >`(SELECT e.payload->>'result' FROM ticket_events e WHERE e.ticket_id = "tickets"."id" AND e.type = 'confirmed' ORDER BY e.id DESC LIMIT 1)`,
    })
    .from(tickets)
    .where(eq(tickets.number, number));
  if (!r) throw new Error(`no ticket ${number}`);
  return { ...r, events: Number(r.events), pending: Number(r.pending), outbox: Number(r.outbox) };
}

describe('issue 11: the ticket record holds after any sequence of commands by any roles', () => {
  it.each(chunks.map((runs, i) => [i + 1, chunks.length, runs]))(
    'keeps every invariant after each step (chunk %i of %i: %i random sequences on a fresh database)',
    async (_chunk, _of, runs) => {
      await freshCore();
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 10 }), async (steps) => {
          const opened = await t.run('ani', openLine(customerId()));
          const number = opened.replies[0]?.ticket as string;
          let before = await snapshot(number);
          for (const s of steps) {
            t.clock.advance(s.minutes * 60_000);
            let refused = false;
            if ('job' in s) await reminders(t.core, t.clock.now());
            else {
              const out = await t.run(s.user, s.line.replace('N', number));
              expect(out.error, out.replies[0]?.text).not.toBe('unavailable');
              refused = out.error !== null;
            }
            const after = await snapshot(number);
            const ticket = after.ticket;
            if (refused) {
              // Nothing changes on an error: not the row, not the audit trail, not the outbox.
              expect(after).toEqual(before);
            } else if (!('job' in s)) {
              expect(after.events, `${s.line}: every change has its event`).toBeGreaterThan(before.events);
            }
            if (ticket.status !== before.ticket.status || ticket.assignee !== before.ticket.assignee)
              expect(after.events).toBeGreaterThan(before.events);
            expect(stateViolations({ ...ticket, pendingEscalations: after.pending })).toEqual([]);
            expect(levelRank(ticket.escalationLevel)).toBeGreaterThanOrEqual(levelRank(before.ticket.escalationLevel));
            if (ticket.status === 'confirmed') expect(after.lastConfirmation).toBe('ok');
            before = after;
          }
        }),
        { numRuns: runs },
      );
      // Hundreds of commands on a real database: a minute or two on a quiet machine, more on a loaded one.
    },
    1_800_000,
  );
});
