import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalations, outbox, ticketEvents, tickets } from '../../src/db/schema.js';
import { reminders } from '../../src/jobs/reminders.js';
import { slaWatch } from '../../src/jobs/sla-watch.js';
import type { OutboxMessage } from '../../src/outbox/types.js';
import { digestFigures } from '../../src/services/digest.js';
import { sameCustomer } from '../../src/services/ticket-store.js';
import { customerId, openLine, startTestCore, type TestCore } from '../helpers/core.js';

/** The ticket record cannot be made false (issue 11): each defect seen, reproduced by its clause. */
let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
});
afterAll(() => t?.close());

const MIN = 60_000;

async function open(extra = '', id = customerId()) {
  const out = await t.run('ani', openLine(id, extra));
  expect(out.error).toBeNull();
  return out.replies[0]?.ticket as string;
}
const row = async (number: string) => {
  const [r] = await t.core.db.select().from(tickets).where(eq(tickets.number, number));
  if (!r) throw new Error(`no ${number}`);
  return r;
};
const events = async (number: string) =>
  t.core.db
    .select()
    .from(ticketEvents)
    .where(eq(ticketEvents.ticketId, (await row(number)).id))
    .orderBy(ticketEvents.id);
const messages = async () =>
  (await t.core.db.select().from(outbox).orderBy(outbox.id)).map((r) => r.payload as unknown as OutboxMessage);
const threadTexts = async (number: string) => {
  const id = (await row(number)).id;
  return (await messages()).filter((m) => m.kind === 'post' && m.threadOfTicket === id).map((m) => m.reply.text);
};
async function ok(user: string, line: string) {
  const out = await t.run(user, line);
  expect(out.error, `${line}: ${out.replies[0]?.text}`).toBeNull();
  return out;
}
async function closeConfirmed(n: string) {
  await ok('ani', `konfirmasi ${n} hasil=ok sudah normal`);
  await ok('ani', `tutup ${n} tawaran=ya kode=FIXED`);
}

describe('P5.10, P5.12 a decision after closing cannot reopen a ticket', () => {
  it('eskalasi ke=spv, konfirmasi ok, tutup, then the SPV approves: conflict, the ticket stays closed', async () => {
    const n = await open();
    await ok('ani', `eskalasi ${n} ke=spv gangguan massal`);
    await ok('ani', `konfirmasi ${n} hasil=ok pelanggan sudah bisa browsing`);
    // The confirmation cancelled the waiting request: said once in the thread, the request edited in place.
    const [e] = await t.core.db
      .select()
      .from(escalations)
      .where(eq(escalations.ticketId, (await row(n)).id));
    expect(e?.status).toBe('cancelled');
    expect((await threadTexts(n)).filter((x) => x.includes('dibatalkan'))).toHaveLength(1);
    const edits = (await messages()).filter(
      (m) => m.kind === 'edit' && 'escalation' in m.target && m.target.escalation === e?.id,
    );
    expect(edits).toHaveLength(1);
    expect(edits[0]?.reply.buttons ?? []).toHaveLength(0);

    await ok('ani', `tutup ${n} tawaran=ya`);
    const before = await row(n);
    const out = await t.run('citra', `setujui ${n}`);
    expect(out.error).toBe('conflict');
    const after = await row(n);
    expect(after).toMatchObject({ status: 'closed', escalationLevel: null });
    expect(after.closedAt?.getTime()).toBe(before.closedAt?.getTime());
    expect((await events(n)).filter((x) => x.type === 'escalation_approved')).toHaveLength(0);
  });

  it('a closed ticket gets no reminder or expiry of an old escalation in its thread', async () => {
    const n = await open();
    await ok('ani', `eskalasi ${n} ke=spv perlu percepatan`);
    await closeConfirmed(n);
    const posts = (await threadTexts(n)).length;
    t.clock.advance(600 * MIN);
    await reminders(t.core, t.clock.now());
    await slaWatch(t.core, t.clock.now());
    expect((await threadTexts(n)).length).toBe(posts);
  });

  it('a closed ticket changes only by an explicit reopen: notes, calls and decisions are conflicts', async () => {
    const n = await open();
    await closeConfirmed(n);
    for (const line of [
      `catat ${n} lupa catat`,
      `kabari ${n} info`,
      `hubungi ${n} hasil=tersambung`,
      `eskalasi ${n} ke=tl x`,
      `ambil ${n}`,
    ])
      expect((await t.run(line.startsWith('ambil') ? 'budi' : 'ani', line)).error).toBe('conflict');
  });
});

describe('P5.10 the escalation level only goes up', () => {
  it('after an approved Telkom escalation, a request to the TL is refused and the card keeps Telkom', async () => {
    const n = await open();
    await ok('ani', `eskalasi ${n} ke=telkom ref=TK-2026-0042 perlu cek jaringan`);
    await ok('citra', `setujui ${n}`);
    const out = await t.run('ani', `eskalasi ${n} ke=tl minta bantuan`);
    expect(out.error).toBe('conflict');
    expect(await row(n)).toMatchObject({ status: 'escalated', escalationLevel: 'telkom' });
    const cards = (await messages()).filter((m) => m.kind === 'edit' && 'ticketCard' in m.target);
    const last = cards.filter((m) => m.reply.ticket === n).at(-1);
    expect(last?.reply.fields?.find((f) => f.value.startsWith('Dieskalasi'))?.value).toBe('Dieskalasi · Telkom');
  });
});

describe('A7 closed within SLA is judged at the confirmation, not at closing', () => {
  it('a ticket confirmed one minute before its due time and closed two minutes after counts as within SLA', async () => {
    t.clock.set(new Date('2026-12-05T01:00:00Z'));
    const n = (await ok('ani', openLine(customerId()).replace('indihome', 'internet'))).replies[0]?.ticket as string;
    const due = (await row(n)).slaDueAt;
    t.clock.set(new Date(due.getTime() - MIN));
    await ok('ani', `konfirmasi ${n} hasil=ok`);
    t.clock.set(new Date(due.getTime() + 2 * MIN));
    await ok('ani', `tutup ${n} tawaran=ya`);
    const f = await digestFigures(t.core, t.clock.now(), { from: due, to: new Date(due.getTime() + 3 * MIN) });
    expect(f.closed).toBe(1);
    expect(f.kpi.closedWithinSla).toEqual({ n: 1, of: 1 });
  });
});

describe('P5.6 a Telkom handoff waits on Telkom with the SLA paused, and comes back with their answer', () => {
  it('records the ref, shows "menunggu Telkom", and `catat dari=telkom` resumes the clock shifted by the wait', async () => {
    const n = await open();
    const due = (await row(n)).slaDueAt.getTime();
    await ok('ani', `eskalasi ${n} ke=telkom ref=TK-77 kabel putus`);
    await ok('citra', `setujui ${n}`);
    expect(await row(n)).toMatchObject({ pauseReason: 'telkom', telkomRef: 'TK-77' });
    const card = (await t.run('ani', `lihat ${n}`)).replies[0];
    expect(card?.fields?.find((f) => f.label === 'SLA')?.value ?? JSON.stringify(card?.fields)).toContain(
      'menunggu Telkom',
    );
    t.clock.advance(90 * MIN);
    await ok('ani', `catat ${n} dari=telkom sudah diperbaiki di STO`);
    const after = await row(n);
    expect(after.pausedSince).toBeNull();
    expect(after.slaDueAt.getTime()).toBe(due + 90 * MIN);
    const thread = await threadTexts(n);
    expect(thread.at(-1)).toContain('TK-77');
    expect((await events(n)).map((e) => e.type)).toEqual(
      expect.arrayContaining(['sla_paused', 'telkom_answer', 'sla_resumed']),
    );
  });
});

describe('Outbound calls (hubungi) and the no-contact close', () => {
  it('TIDAK-TERHUBUNG needs POSKO_MAX_ATTEMPTS failed attempts spaced apart, and no confirmation', async () => {
    const n = await open();
    await ok('ani', `hubungi ${n} hasil=tidak-diangkat`);
    const soon = await ok('ani', `hubungi ${n} hasil=sibuk`); // too soon after the first: not counted
    expect(soon.replies[0]?.text).toContain('tidak dihitung');
    expect((await t.run('ani', `tutup ${n} kode=TIDAK-TERHUBUNG`)).error).toBe('conflict');
    t.clock.advance(30 * MIN);
    await ok('ani', `hubungi ${n} hasil=salah-sambung`);
    t.clock.advance(30 * MIN);
    const third = await ok('ani', `hubungi ${n} hasil=tidak-diangkat`);
    expect(third.replies[0]?.text).toContain('kode=TIDAK-TERHUBUNG');
    await ok('ani', `tutup ${n} kode=TIDAK-TERHUBUNG`);
    expect(await row(n)).toMatchObject({ status: 'closed', resolutionCode: 'TIDAK-TERHUBUNG', pausedSince: null });
    const closed = (await events(n)).find((e) => e.type === 'closed');
    expect(closed?.payload).toMatchObject({ path: 'no_contact', attempts: 3 });
  });

  it('P5.9 a connected call informs the customer and resets the failed attempts', async () => {
    const n = await open();
    await ok('ani', `hubungi ${n} hasil=tidak-diangkat`);
    t.clock.advance(40 * MIN);
    await ok('ani', `hubungi ${n} hasil=tersambung teknisi dijadwalkan`);
    const r = await row(n);
    expect(r.lastInformedAt?.getTime()).toBe(t.clock.now().getTime());
    expect(r).toMatchObject({ failedAttempts: 0, pausedSince: null });
  });

  it('a callback time pauses the SLA, reminds the assignee at that time once, and the clock runs again', async () => {
    t.clock.set(new Date('2026-12-01T02:00:00Z')); // 09.00 WIB on a Tuesday
    const n = await open();
    const due = (await row(n)).slaDueAt.getTime();
    // The customer asks to be called at 11.00 WIB.
    await ok('ani', `hubungi ${n} hasil=minta-dihubungi-lagi jam=11.00 pelanggan sedang rapat`);
    const r = await row(n);
    expect(r.pauseReason).toBe('customer');
    expect(r.callbackAt?.toISOString()).toBe(new Date(t.clock.now().getTime() + 2 * 60 * MIN).toISOString());
    t.clock.advance(119 * MIN);
    await reminders(t.core, t.clock.now());
    expect((await threadTexts(n)).filter((x) => x.includes('menelepon balik'))).toHaveLength(0);
    t.clock.advance(MIN);
    await reminders(t.core, t.clock.now());
    await reminders(t.core, t.clock.now());
    expect((await threadTexts(n)).filter((x) => x.includes('menelepon balik'))).toHaveLength(1);
    const after = await row(n);
    expect(after).toMatchObject({ pausedSince: null, callbackAt: null });
    expect(after.slaDueAt.getTime()).toBe(due + 120 * MIN);
  });
});

describe('Close reasons DUPLIKAT and BATAL', () => {
  it('DUPLIKAT names a primary of the same customer and service, and both threads say so', async () => {
    const id = customerId();
    const primary = await open('', id);
    const dup = await open('baru=ya', id);
    expect((await t.run('ani', `tutup ${dup} kode=DUPLIKAT`)).error).toBe('invalid_input');
    const other = await open();
    expect((await t.run('ani', `tutup ${dup} kode=DUPLIKAT tiket=${other}`)).error).toBe('conflict');
    await ok('ani', `tutup ${dup} kode=DUPLIKAT tiket=${primary}`);
    expect(await row(dup)).toMatchObject({ status: 'closed', duplicateOf: (await row(primary)).id });
    expect((await threadTexts(primary)).at(-1)).toContain(dup);
  });

  it('BATAL needs the customer’s reason and the standard offer', async () => {
    const n = await open();
    expect((await t.run('ani', `tutup ${n} kode=BATAL`)).error).toBe('invalid_input');
    expect((await t.run('ani', `tutup ${n} kode=BATAL pelanggan pindah rumah`)).error).toBe('conflict');
    await ok('ani', `tutup ${n} kode=BATAL tawaran=ya pelanggan pindah rumah`);
    expect((await row(n)).status).toBe('closed');
  });
});

describe('P5.3 repeat complaints (buka) and reopening (buka-lagi)', () => {
  it('a repeat goes onto the open linked ticket when the primary is closed', async () => {
    const id = customerId();
    const primary = await open('', id);
    const linked = await open('baru=ya', id);
    await closeConfirmed(primary);
    const out = await ok('ani', openLine(id));
    expect(out.replies[0]?.ticket).toBe(linked);
    expect((await row(linked)).repeatCount).toBe(1);
    expect((await t.core.db.select().from(tickets).where(sameCustomer('indihome', id))).length).toBe(2);
  });

  it('a different contact number is noted in the thread (masked) and offered as an update', async () => {
    const id = customerId();
    const n = await open('', id);
    const out = await ok('ani', openLine(id).replace('081234567890', '081298765432'));
    expect(out.replies[0]?.text).toContain('+6281298765432');
    const button = out.replies[0]?.buttons?.[0];
    expect(button?.command).toBe(`ubah-kontak ${n} kontak=+6281298765432`);
    const thread = (await threadTexts(n)).at(-1) ?? '';
    expect(thread).toContain('+62812****5432');
    expect(thread).not.toContain('81298765432');
    await ok('ani', button?.command ?? '');
    expect((await row(n)).contact).toBe('+6281298765432');
  });

  it('buka-lagi by the assignee within POSKO_REOPEN_DAYS counts as a repeat; later only a TL or SPV', async () => {
    const n = await open();
    await closeConfirmed(n);
    expect((await t.run('ani', `buka-lagi ${n}`)).error).toBe('invalid_input');
    await ok('ani', `buka-lagi ${n} internet mati lagi`);
    const r = await row(n);
    expect(r).toMatchObject({ status: 'open', closedAt: null, repeatCount: 1 });
    const types = (await events(n)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['opened', 'confirmed', 'closed', 'reopened']));
    await closeConfirmed(n);
    t.clock.advance(8 * 24 * 60 * MIN);
    expect((await t.run('ani', `buka-lagi ${n} lagi`)).error).toBe('forbidden');
    await ok('budi', `buka-lagi ${n} pelanggan komplain lagi`);
    expect((await t.run('ani', `buka-lagi ${n} x`)).error).toBe('conflict'); // not closed now
  });
});

describe('P5.9 callbacks and reminders keep to the customer’s clock (WIB/WITA/WIT, working hours, holidays)', () => {
  it('a callback asked for 23.00 by a customer in Makassar (0411, WITA) is moved to 08.00 WITA the next day', async () => {
    t.clock.set(new Date('2026-12-02T06:00:00Z')); // 14.00 WITA
    const out = await ok(
      'ani',
      `buka layanan=telepon id=0411${customerId().slice(-6)} nama="Andi Makkasau" kontak=0411555123 keluhan="nada putus"`,
    );
    const n = out.replies[0]?.ticket as string;
    expect((await row(n)).customerZone).toBe('WITA');
    const call = await ok('ani', `hubungi ${n} hasil=minta-dihubungi-lagi jam=23.00`);
    expect(call.replies[0]?.text).toContain('08.00 WITA');
    // 08.00 WITA = 00:00Z on 3 Dec.
    expect((await row(n)).callbackAt?.toISOString()).toBe('2026-12-03T00:00:00.000Z');
  });

  it('no reminder to inform a customer outside their working hours: it waits for 08.00 their time', async () => {
    t.clock.set(new Date('2026-12-02T10:00:00Z')); // 17.00 WIB
    const n = (await ok('ani', openLine(customerId(), 'zona=WIT'))).replies[0]?.ticket as string;
    expect((await row(n)).customerZone).toBe('WIT');
    t.clock.set(new Date('2026-12-02T13:00:00Z')); // 22.00 WIT: 3 h without news, but night there
    await reminders(t.core, t.clock.now());
    expect((await threadTexts(n)).filter((x) => x.includes('🔔'))).toHaveLength(0);
    t.clock.set(new Date('2026-12-02T23:00:00Z')); // 08.00 WIT
    await reminders(t.core, t.clock.now());
    expect((await threadTexts(n)).filter((x) => x.includes('🔔'))).toHaveLength(1);
  });
});
