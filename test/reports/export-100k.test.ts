import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resealRows } from '../../src/crypto/reseal.js';
import { activeKeyRing } from '../../src/crypto/ring.js';
import { outbox } from '../../src/db/schema.js';
import type { OutboxMessage } from '../../src/outbox/types.js';
import { EXPORT_HEADER } from '../../src/reports/export.js';
import { startTestCore, TEST_DATABASE_URL, type TestCore } from '../helpers/core.js';
import { readCsv } from './csv-read.js';

const ROWS = 100_000;
const TRICKY_NAME = 'Sri "Ayu", Dewi\nBaru';

/**
 * 100k rows stream to the file in keyset pages without the process holding them: the heap grows
 * by far less than the data. PostgreSQL only: seeding and exporting 100k rows on the in-memory
 * PGlite would measure PGlite's own memory (its whole database lives in this process's heap).
 */
describe.skipIf(!TEST_DATABASE_URL)('ekspor of 100k tickets on PostgreSQL', () => {
  let t: TestCore;
  beforeAll(async () => {
    t = await startTestCore({ POSKO_REPORTS_DIR: mkdtempSync(join(tmpdir(), 'posko-export-100k-')) });
    // One statement, customer values in plaintext as before encryption; then sealed the way a
    // start seals such rows (src/crypto/reseal.ts).
    await t.core.db.execute(sql`
      insert into tickets (service, queue, team, customer_id, customer_name, contact, complaint, status,
        assignee, opened_by, platform, channel, sla_due_at, created_at, updated_at)
      select 'indihome', 'reguler', case when g % 2 = 0 then 'a' else 'b' end, lpad(g::text, 12, '0'),
        case when g = 1 then ${TRICKY_NAME} else 'Pelanggan ' || g end, '+6281' || lpad(g::text, 9, '0'),
        'internet mati', 'open', 'console:ani', 'console:ani', 'console', 'team-a',
        ts + interval '24 hours', ts, ts
      from generate_series(1, ${ROWS}) g,
        lateral (select '2026-12-01T00:00:00+07:00'::timestamptz + g * interval '5 seconds' as ts) s`);
    await resealRows(t.core.db, activeKeyRing(), 'unsealed', 2000);
    t.clock.set(new Date('2026-12-08T03:00:00Z'));
  }, 300_000);
  afterAll(() => t?.close());

  it('exports every row with header, BOM and quoting, the heap staying bounded', async () => {
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 20);
    const started = performance.now();
    const out = await t.run('citra', 'ekspor dari=2026-12-01 sampai=2026-12-07 penuh=ya');
    const ms = performance.now() - started;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    expect(out.error, out.replies[0]?.text).toBeNull();

    const rows = await t.core.db.select().from(outbox);
    const file = rows
      .map((r) => r.payload as unknown as OutboxMessage)
      .flatMap((m) => (m.kind === 'post' ? (m.reply.files ?? []) : []))
      .at(-1);
    const size = statSync(file!.path).size;
    const growthMb = (peak - before) / 2 ** 20;
    console.log(
      `ekspor ${ROWS} rows: ${Math.round(ms)} ms, file ${(size / 2 ** 20).toFixed(1)} MB, heap peak +${growthMb.toFixed(1)} MB`,
    );
    // Generous: timings and heap figures are noisy; holding the rows would take several times this.
    expect(growthMb).toBeLessThan(100);

    const raw = readFileSync(file!.path, 'utf8');
    expect(raw.charCodeAt(0)).toBe(0xfeff);
    const [header, ...records] = readCsv(raw.slice(1));
    expect(header).toEqual([...EXPORT_HEADER]);
    expect(records.length).toBe(ROWS);
    expect(records[0]![0]).toBe('GGN-000001');
    expect(records.at(-1)![0]).toBe('GGN-100000');
    expect(records[0]![header!.indexOf('nama_pelanggan')]).toBe(TRICKY_NAME);
    expect(raw).toContain('"Sri ""Ayu"", Dewi\nBaru"');
  }, 300_000);
});
