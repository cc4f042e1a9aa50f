import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalations, inboundDedupe, outbox, ticketEvents, tickets } from '../../src/db/schema.js';
import type { OutboxMessage } from '../../src/outbox/types.js';
import { customerId, openLine, startTestCore, type TestCore } from '../helpers/core.js';

let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
});
afterAll(() => t?.close());

const count = async (table: typeof tickets | typeof ticketEvents | typeof outbox | typeof escalations) => {
  const [row] = await t.core.db.select({ n: sql<number>`count(*)::int` }).from(table);
  return row?.n ?? 0;
};
const eventsOf = async (number: string) => {
  const [ticket] = await t.core.db.select().from(tickets).where(eq(tickets.number, number));
  return t.core.db
    .select()
    .from(ticketEvents)
    .where(eq(ticketEvents.ticketId, ticket?.id ?? -1))
    .orderBy(ticketEvents.id);
};
async function open(extra = '') {
  const out = await t.run('ani', openLine(customerId(), extra));
  expect(out.error).toBeNull();
  const number = out.replies[0]?.ticket;
  expect(number).toMatch(/^GGN-\d{6,}$/);
  return number as string;
}

describe('P5.2 customer data is verified before a ticket opens', () => {
  it.each([
    ['kontak', 'buka layanan=indihome id=122123456789 nama="Siti" kontak=0812 keluhan=mati'],
    ['kontak', 'buka layanan=indihome id=122123456789 nama="Siti" kontak=+6512345678 keluhan=mati'],
    ['nama', 'buka layanan=indihome id=122123456789 kontak=081234567890 keluhan=mati'],
    ['layanan', 'buka layanan=tv id=122123456789 nama=Siti kontak=081234567890 keluhan=mati'],
    ['id', 'buka layanan=indihome id=12 nama=Siti kontak=081234567890 keluhan=mati'],
    ['keluhan', 'buka layanan=indihome id=122123456789 nama=Siti kontak=081234567890'],
    ['warna', 'buka layanan=indihome warna=merah id=122123456789 nama=Siti kontak=081234567890 keluhan=mati'],
  ])('a bad or missing %s is invalid_input naming it and stores nothing', async (option, line) => {
    const before = [await count(tickets), await count(ticketEvents), await count(outbox)];
    const out = await t.run('ani', line);
    expect(out.error).toBe('invalid_input');
    expect(out.replies[0]?.text).toContain(option);
    expect([await count(tickets), await count(ticketEvents), await count(outbox)]).toEqual(before);
  });

  it('stores the phone normalised to E.164 whichever way it was typed', async () => {
    for (const typed of ['0812-3456-7890', '6281234567890', '+62 812 3456 7890']) {
      const out = await t.run(
        'ani',
        `buka layanan=telepon id=0215551234${String(typed.length)} nama="Budi Santoso" kontak="${typed}" keluhan="nada putus"`,
      );
      expect(out.error).toBeNull();
      const [row] = await t.core.db
        .select()
        .from(tickets)
        .where(eq(tickets.number, out.replies[0]?.ticket ?? ''));
      expect(row?.contact).toBe('+6281234567890');
    }
  });
});

describe('P5.3 a repeat complaint goes onto the open ticket', () => {
  it('answers with the same number, records a repeat contact and posts it in the thread', async () => {
    const id = customerId();
    const first = await t.run('ani', openLine(id));
    const again = await t.run('budi', openLine(id).replace('internet mati sejak pagi', 'masih mati'));
    expect(again.error).toBeNull();
    expect(again.replies[0]?.ticket).toBe(first.replies[0]?.ticket);
    const events = await eventsOf(first.replies[0]?.ticket ?? '');
    expect(events.map((e) => e.type)).toEqual(['opened', 'repeat_contact']);
    expect(events[1]?.actor).toBe('console:budi');
    const rows = await t.core.db
      .select()
      .from(outbox)
      .where(eq(outbox.dedupeKey, `ev:${events[1]?.id}`));
    expect((rows[0]?.payload as unknown as OutboxMessage | undefined)?.kind).toBe('post');
  });

  it('baru=ya opens a second ticket linked to the open one', async () => {
    const id = customerId();
    const first = await t.run('ani', openLine(id));
    const second = await t.run('ani', openLine(id, 'baru=ya'));
    expect(second.replies[0]?.ticket).not.toBe(first.replies[0]?.ticket);
    const [row] = await t.core.db
      .select()
      .from(tickets)
      .where(eq(tickets.number, second.replies[0]?.ticket ?? ''));
    const [parent] = await t.core.db
      .select()
      .from(tickets)
      .where(eq(tickets.number, first.replies[0]?.ticket ?? ''));
    expect(row?.relatedTo).toBe(parent?.id);
  });

  it('a closed ticket does not capture the next complaint', async () => {
    const id = customerId();
    const number = await (async () => {
      const out = await t.run('ani', openLine(id));
      return out.replies[0]?.ticket ?? '';
    })();
    await t.run('ani', `konfirmasi ${number} hasil=ok`);
    await t.run('ani', `tutup ${number} tawaran=ya`);
    const next = await t.run('ani', openLine(id));
    expect(next.replies[0]?.ticket).not.toBe(number);
  });
});

describe('P5.5 related products and S11 applications on the new ticket', () => {
  it('shows the service line hint and records it on the opened event', async () => {
    const out = await t.run(
      'ani',
      `buka layanan=global id=GLB-20${customerId().slice(-6)} nama="PT Maju" kontak=0215551234 keluhan="link down"`,
    );
    expect(out.error).toBeNull();
    expect(out.replies[0]?.text).toContain('IP Transit');
    const events = await eventsOf(out.replies[0]?.ticket ?? '');
    expect(events[0]?.payload).toMatchObject({ applications: expect.arrayContaining(['TELKOM.CENTER']) });
  });
});

describe('P5.10 escalation: one pending request, decided by a TL of the team or a supervisor', () => {
  it('refuses the requester, lets the TL approve once, and says who decided on a second click', async () => {
    const number = await open();
    const asked = await t.run('ani', `eskalasi ${number} ke=tl redaman tinggi di ODP`);
    expect(asked.error).toBeNull();
    expect((await t.run('ani', `eskalasi ${number} lagi`)).error).toBe('conflict');
    const own = await t.run('ani', `setujui ${number}`);
    expect(own.error).toBe('forbidden');
    const ok = await t.run('budi', `setujui ${number}`);
    expect(ok.error).toBeNull();
    const twice = await t.run('budi', `setujui ${number}`);
    expect(twice.error).toBe('conflict');
    const [row] = await t.core.db.select().from(tickets).where(eq(tickets.number, number));
    expect(row?.status).toBe('escalated');
    expect((await eventsOf(number)).map((e) => e.type)).toEqual([
      'opened',
      'escalation_requested',
      'escalation_approved',
    ]);
  });

  it('a TL may not decide their own request; Telkom needs a supervisor', async () => {
    const number = await open();
    await t.run('budi', `eskalasi ${number} ke=telkom kabel putus di jalan raya`);
    expect((await t.run('budi', `setujui ${number}`)).error).toBe('forbidden');
    const byCitra = await t.run('citra', `setujui ${number}`);
    expect(byCitra.error).toBeNull();
  });

  it('a TL cannot approve a Telkom escalation asked by an agent', async () => {
    const number = await open();
    await t.run('ani', `eskalasi ${number} ke=telkom tiang roboh`);
    const out = await t.run('budi', `setujui ${number}`);
    expect(out.error).toBe('forbidden');
    const [e] = await t.core.db.select().from(escalations).where(eq(escalations.status, 'pending'));
    expect(e).toBeDefined();
  });

  it('a rejection needs a reason and a stale button names the decision', async () => {
    const number = await open();
    await t.run('ani', `eskalasi ${number} mohon percepatan`);
    expect((await t.run('budi', `tolak ${number}`)).error).toBe('invalid_input');
    const [ticket] = await t.core.db.select().from(tickets).where(eq(tickets.number, number));
    const [pending] = await t.core.db
      .select()
      .from(escalations)
      .where(eq(escalations.ticketId, ticket?.id ?? -1));
    expect((await t.run('budi', `tolak ${number} permintaan=${pending?.id} cek redaman dulu`)).error).toBeNull();
    const stale = await t.run('citra', `setujui ${number} permintaan=${pending?.id}`);
    expect(stale.error).toBe('conflict');
    expect(stale.replies[0]?.text).toContain('@console:budi'.replace('@', '<@'));
  });
});

describe('P5.6 takeover by a team leader or supervisor', () => {
  it('moves the ticket to the TL; an agent may not take over', async () => {
    const number = await open();
    expect((await t.run('ani', `ambil ${number}`)).error).toBe('forbidden');
    expect((await t.run('budi', `ambil ${number}`)).error).toBeNull();
    const [row] = await t.core.db.select().from(tickets).where(eq(tickets.number, number));
    expect(row?.assignee).toBe('console:budi');
    // The previous assignee no longer handles it.
    expect((await t.run('ani', `catat ${number} cek`)).error).toBe('forbidden');
  });
});

describe('P5.11, P5.7, P5.12 closing follows the mechanism', () => {
  it('refuses to close before confirmation, shows the standard sentence without the offer, closes with it', async () => {
    const number = await open();
    const early = await t.run('ani', `tutup ${number} tawaran=ya`);
    expect(early.error).toBe('conflict');
    expect(early.replies[0]?.text).toContain('konfirmasi');
    await t.run('ani', `konfirmasi ${number} hasil=gagal masih lambat`);
    expect((await t.run('ani', `tutup ${number} tawaran=ya`)).error).toBe('conflict');
    await t.run('ani', `konfirmasi ${number} hasil=ok`);
    const noOffer = await t.run('ani', `tutup ${number}`);
    expect(noOffer.error).toBe('conflict');
    expect(noOffer.replies[0]?.text).toContain(t.core.t('sop.offerSentence'));
    expect(noOffer.replies[0]?.buttons?.[0]?.command).toBe(`tutup ${number} tawaran=ya`);
    const closed = await t.run('ani', noOffer.replies[0]?.buttons?.[0]?.command ?? '');
    expect(closed.error).toBeNull();
    const [row] = await t.core.db.select().from(tickets).where(eq(tickets.number, number));
    expect(row?.status).toBe('closed');
    expect((await t.run('ani', `catat ${number} telat`)).error).toBe('conflict');
  });

  it('lihat shows the whole checklist done after a by-the-book ticket', async () => {
    const number = await open();
    await t.run('ani', `catat ${number} koordinasi dengan NOSSA`);
    await t.run('ani', `kabari ${number} teknisi menuju lokasi`);
    await t.run('ani', `konfirmasi ${number} hasil=ok`);
    await t.run('ani', `tutup ${number} tawaran=ya kode=fixed-odp`);
    const view = await t.run('ani', `lihat ${number}`);
    const states = Object.fromEntries((view.replies[0]?.checklist ?? []).map((c) => [c.clause, c.state]));
    expect(states).toMatchObject({
      'P5.2': 'done',
      'P5.8': 'done',
      'P5.9': 'done',
      'P5.10': 'na',
      'P5.11': 'done',
      'P5.7': 'done',
      'P5.12': 'done',
    });
    expect(view.replies[0]?.history?.length).toBe(5);
  });
});

describe('audit trail', () => {
  it('every change writes its event in the same transaction; a refused change writes none', async () => {
    const number = await open();
    const before = (await eventsOf(number)).length;
    await t.run('citra', `tutup ${number}`); // refused: not confirmed
    expect((await eventsOf(number)).length).toBe(before);
    await t.run('citra', `catat ${number} dicek SPV`);
    const after = await eventsOf(number);
    expect(after.at(-1)).toMatchObject({ type: 'note', actor: 'console:citra', payload: { text: 'dicek SPV' } });
  });

  it('the database refuses UPDATE and DELETE on events', async () => {
    await open();
    await expect(t.core.db.update(ticketEvents).set({ type: 'x' })).rejects.toThrow();
    await expect(t.core.db.delete(ticketEvents)).rejects.toThrow();
  });
});

describe('inbound dedupe', () => {
  it('a redelivered command has one effect and says nothing the second time', async () => {
    const id = customerId();
    const first = await t.run('ani', openLine(id), 'trigger-1');
    const second = await t.run('ani', openLine(id), 'trigger-1');
    expect(first.duplicate).toBe(false);
    expect(second).toMatchObject({ duplicate: true, replies: [] });
    expect((await eventsOf(first.replies[0]?.ticket ?? '')).map((e) => e.type)).toEqual(['opened']);
  });

  it('a refused command leaves no claim, so a corrected retry is not swallowed', async () => {
    const out = await t.run('ani', 'buka layanan=indihome', 'trigger-2');
    expect(out.error).toBe('invalid_input');
    const rows = await t.core.db.select().from(inboundDedupe).where(eq(inboundDedupe.key, 'console:trigger-2'));
    expect(rows).toHaveLength(0);
  });
});

describe('roles', () => {
  it('an agent may not set roles; a supervisor may, and the new role takes effect', async () => {
    expect((await t.run('ani', 'peran dodi agent')).error).toBe('forbidden');
    expect((await t.run('dodi', 'daftar')).error).toBe('forbidden');
    expect((await t.run('citra', 'peran dodi tl tim=a antrian=violet')).error).toBeNull();
    const number = await open();
    await t.run('ani', `eskalasi ${number} tolong`);
    expect((await t.run('dodi', `setujui ${number}`)).error).toBeNull();
  });

  it('POSKO_ADMINS start as supervisors', async () => {
    const { startTestCore: start } = await import('../helpers/core.js');
    const other = await start({ POSKO_ADMINS: 'console:ratna' });
    try {
      expect((await other.run('ratna', 'peran eko agent')).error).toBeNull();
    } finally {
      await other.close();
    }
  });
});

describe('invalid_input names its option for forms', () => {
  it.each([
    ['kontak', 'buka layanan=indihome id=122123456789 nama=Siti kontak=0812 keluhan=mati'],
    ['nama', 'buka layanan=indihome id=122123456789 nama=1234 kontak=081234567890 keluhan=mati'],
    ['id', 'buka layanan=indihome id=12 nama=Siti kontak=081234567890 keluhan=mati'],
    ['tiket', 'lihat GGN-ABC'],
  ])('the reply carries option=%s', async (option, line) => {
    const out = await t.run('ani', line);
    expect(out.replies[0]).toMatchObject({ error: 'invalid_input', option });
  });
});
