/**
 * Issue 12 defects 2 and 6: what reaches a channel or thread never carries more than the last
 * four digits of a customer's phone number or ID, nor their e-mail or full name, whatever form
 * they were typed in; and no user text becomes a Discord masked link. Driven through posko's
 * real commands on one shared database, the queued outbox rows rendered by the real Slack,
 * Discord and console renderers.
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/db/schema.js';
import { maskText } from '../../src/domain/mask.js';
import { normaliseIndonesianPhone } from '../../src/domain/phone.js';
import type { OutboxMessage } from '../../src/outbox/types.js';
import { renderPlain } from '../../src/platforms/console/render.js';
import { renderMessage } from '../../src/platforms/discord/render.js';
import { renderReply } from '../../src/platforms/slack/blocks.js';
import type { Reply } from '../../src/reply.js';
import { startTestCore, type TestCore } from '../helpers/core.js';

let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
});
afterAll(() => t?.close());

interface Customer {
  name: string;
  surname: string;
  id: string;
  /** National significant number: 81234567890. */
  national: string;
  email: string;
}

const toFullWidth = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));

/** Every way an agent types a phone number, by its national significant number. */
const PHONE_FORMS: ((n: string) => string)[] = [
  (n) => `0${n}`,
  (n) => `0${n.slice(0, 3)}.${n.slice(3, 7)}.${n.slice(7)}`,
  (n) => `0${n.slice(0, 3)}/${n.slice(3, 7)}/${n.slice(7)}`,
  (n) => `0${n.slice(0, 3)}-${n.slice(3, 7)}-${n.slice(7)}`,
  (n) => `0${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`,
  (n) => `(0${n.slice(0, 3)}) ${n.slice(3, 7)} ${n.slice(7)}`,
  (n) => `+62 ${n.slice(0, 3)}-${n.slice(3, 7)}-${n.slice(7)}`,
  (n) => `+62${n}`,
  (n) => `62${n}`,
  (n) => toFullWidth(`0${n}`),
];
const ID_FORMS: ((id: string) => string)[] = [
  (id) => id,
  (id) => id.replace(/(\d{4})(?=\d)/g, '$1 '),
  (id) => id.replace(/(\d{4})(?=\d)/g, '$1-'),
  (id) => toFullWidth(id),
];
const NAME_FORMS: ((name: string) => string)[] = [(n) => n, (n) => n.toLowerCase(), (n) => n.toUpperCase()];

const customer: fc.Arbitrary<Customer> = fc
  .record({
    first: fc.constantFrom('Sri', 'Siti', 'Dewi', 'Rina', 'Agus', 'Budi'),
    syllables: fc.array(fc.constantFrom('wa', 'hyu', 'ni', 'ra', 'ma', 'su', 'har', 'to', 'yan', 'ti', 'len'), {
      minLength: 2,
      maxLength: 3,
    }),
    id: fc.integer({ min: 100_000_000_000, max: 999_999_999_999 }),
    operator: fc.constantFrom('812', '813', '821', '822', '852', '857', '878'),
    subscriber: fc.integer({ min: 10_000_000, max: 99_999_999 }),
    mailbox: fc.integer({ min: 1, max: 999 }),
  })
  .map(({ first, syllables, id, operator, subscriber, mailbox }) => {
    const word = syllables.join('');
    const surname = `${word.charAt(0).toUpperCase()}${word.slice(1)}`;
    return {
      name: `${first} ${surname}`,
      surname,
      id: String(id),
      national: `${operator}${subscriber}`,
      email: `${word}.${mailbox}@mail.co.id`,
    };
  })
  .filter((c) => normaliseIndonesianPhone(`0${c.national}`) !== null);

const typed = fc.record({
  phone: fc.constantFrom(...PHONE_FORMS),
  phone2: fc.constantFrom(...PHONE_FORMS),
  id: fc.constantFrom(...ID_FORMS),
  name: fc.constantFrom(...NAME_FORMS),
});

/** Every channel and thread message queued for `ticket`, as each platform renders it. */
async function renderedFor(ticket: string): Promise<string[]> {
  const rows = await t.core.db.select().from(outbox).where(sql`${outbox.payload}->'reply'->>'ticket' = ${ticket}`);
  expect(rows.length).toBeGreaterThan(2);
  return rows.flatMap((row) => {
    const reply = (row.payload as unknown as OutboxMessage).reply as Reply;
    return [JSON.stringify(renderReply(reply)), JSON.stringify(renderMessage(reply)), renderPlain(reply, t.core.t)].map(
      (s) => s.normalize('NFKC'),
    );
  });
}

// Tokens that may carry digits of a customer value: the masks themselves, ticket numbers, times.
const ALLOWED_DIGITS = /\+62\d{2,3}\*{4}\d{4}|\*+[0-9A-Z]{4}|GGN-\d+|\b\d{1,2}[.:]\d{2}\b|2026-12-03/g;

/** The secret's 5-digit windows found in the text's digit runs (separators inside a run ignored). */
function digitLeaks(text: string, secret: string): string[] {
  const runs = text.replace(ALLOWED_DIGITS, ' ').match(/\d(?:[\s.\-/()]*\d)*/g) ?? [];
  const digits = runs.map((r) => r.replace(/\D/g, ''));
  const found: string[] = [];
  for (let i = 0; i + 5 <= secret.length; i++) {
    const window = secret.slice(i, i + 5);
    if (digits.some((d) => d.includes(window))) found.push(window);
  }
  return found;
}

function expectNoCustomerData(messages: string[], c: Customer) {
  for (const message of messages) {
    const lower = message.toLowerCase();
    expect(lower).not.toContain(c.name.toLowerCase());
    expect(lower).not.toMatch(new RegExp(`\\b${c.surname.toLowerCase()}\\b`));
    expect(lower).not.toContain(c.email);
    expect(digitLeaks(message, c.national)).toEqual([]);
    expect(digitLeaks(message, c.id)).toEqual([]);
  }
}

describe('issue 12 defect 2: masking that holds in free text, on every platform', () => {
  it('defect 2 (property): a complaint, a note, an update and an escalation embedding the customer in any form show none of it in any Slack, Discord or console channel message', async () => {
    await fc.assert(
      fc.asyncProperty(customer, typed, async (c, form) => {
        const phone = form.phone(c.national);
        const complaint = `internet mati, hubungi ${phone} atau ${c.email}, id ${form.id(c.id)} a.n. ${form.name(c.name)} tgl 2026-12-03 jam 14.00`;
        const opened = await t.run(
          'ani',
          `buka layanan=indihome id=${c.id} nama="${c.name}" kontak=0${c.national} keluhan="${complaint}" baru=ya`,
        );
        expect(opened.error).toBeNull();
        const number = opened.replies[0]!.ticket!;
        for (const line of [
          `catat ${number} ${form.name(c.name)} minta ditelepon di ${form.phone2(c.national)}`,
          `kabari ${number} sudah kirim email ke ${c.email.toUpperCase()} dan sms ke ${form.phone(c.national)}`,
          `eskalasi ${number} ke=tl ${c.surname} id ${form.id(c.id)} masih mati`,
        ])
          expect((await t.run('ani', line)).error).toBeNull();
        const messages = await renderedFor(number);
        expectNoCustomerData(messages, c);
        // Dates and times are not customer data: they stay readable.
        expect(messages.some((m) => m.includes('2026-12-03') && m.includes('14.00'))).toBe(true);
      }),
      { numRuns: Number(process.env.MASK_RUNS ?? 25) },
    );
  }, 120_000);

  it.each([
    ['081234567890', '+62812****7890'],
    ['0812.3456.7890', '+62812****7890'],
    ['0812/3456/7890', '+62812****7890'],
    ['(021) 555-1234', '+6221****1234'],
    ['+62 812-3456-7890', '+62812****7890'],
    ['０８１２３４５６７８９０', '+62812****7890'],
  ])(
    'defect 2: a phone typed as %s in free text shows only its prefix and last four digits (%s)',
    (typedPhone, shown) => {
      expect(maskText(`hubungi ${typedPhone} segera`)).toBe(`hubungi ${shown} segera`);
    },
  );

  it('defect 2: an e-mail address, a customer-ID shape and the ticket’s own name and ID typed in free text are masked; dates, times, ticket numbers and equipment codes are not', () => {
    const known = { customerName: 'Sri Wahyuni', customerId: 'SVC77889900', contact: '+6281234567890' };
    expect(
      maskText(
        'sri wahyuni (svc 7788 9900, sri@mail.id) minta cek GLB-20331 di ODP-JKT-12345 tgl 2026-12-03 jam 14.00 GGN-000042',
        known,
      ),
    ).toBe('Sri W. (*******9900, ***@***) minta cek *****0331 di ODP-JKT-12345 tgl 2026-12-03 jam 14.00 GGN-000042');
  });
});

describe('issue 12 defect 6: no masked links from user text on Discord', () => {
  const MASKED_LINK = /(?<!\\)\[[^\]]*(?<!\\)\]\(/;

  it('defect 6: [Klik verifikasi](https://evil.example) and [x](<url>) in a complaint and a note reach Discord cards and threads escaped', async () => {
    const opened = await t.run(
      'ani',
      'buka layanan=indihome id=122100007777 nama="Rina Sari" kontak=081311112222 keluhan="[Klik verifikasi](https://evil.example) mati" baru=ya',
    );
    expect(opened.error).toBeNull();
    const number = opened.replies[0]!.ticket!;
    expect(
      (await t.run('ani', `catat ${number} lihat [x](<https://evil.example/a>) dan [y]( https://e.example )`)).error,
    ).toBeNull();
    const rows = await t.core.db.select().from(outbox).where(sql`${outbox.payload}->'reply'->>'ticket' = ${number}`);
    const bodies = rows.map((r) => JSON.stringify(renderMessage((r.payload as unknown as OutboxMessage).reply)));
    expect(bodies.some((b) => b.includes('evil.example'))).toBe(true); // the address itself stays visible
    for (const body of bodies) expect(JSON.parse(body).content).not.toMatch(MASKED_LINK);
    for (const body of bodies)
      for (const field of (JSON.parse(body).embeds[0]?.fields ?? []) as { value: string }[])
        expect(field.value).not.toMatch(MASKED_LINK);
  });
});
