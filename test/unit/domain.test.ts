import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveChecklist } from '../../src/domain/checklist.js';
import { maskCustomerId, maskFreeText, maskName, maskPhone } from '../../src/domain/mask.js';
import { normaliseIndonesianPhone } from '../../src/domain/phone.js';
import { normaliseCustomerId } from '../../src/domain/service-lines.js';
import { DEFAULT_SLA_HOURS, parseSlaOverrides, slaDueAt } from '../../src/domain/sla.js';
import { assertCanDecide, assertCanTakeOver } from '../../src/domain/ticket.js';
import { normaliseTicketNumber } from '../../src/domain/ticket-number.js';

const agent = { userKey: 'slack:A', role: 'agent' as const, team: 'a', queue: 'reguler' };
const tl = { userKey: 'slack:T', role: 'team_leader' as const, team: 'a', queue: 'reguler' };
const otherTl = { ...tl, userKey: 'slack:T2', team: 'b' };
const spv = { userKey: 'slack:S', role: 'supervisor' as const, team: 'x', queue: 'reguler' };
const ticket = { number: 'GGN-000001', status: 'open', team: 'a', assignee: 'slack:A' };

describe('P5.2 phone numbers', () => {
  it.each([
    ['081234567890', '+6281234567890'],
    ['6281234567890', '+6281234567890'],
    ['+62 812-3456-7890', '+6281234567890'],
    ['(021) 5551234', '+62215551234'],
  ])('%s → %s', (typed, e164) => expect(normaliseIndonesianPhone(typed)).toBe(e164));

  it.each(['0812', '+6512345678', '1234567890', 'nol delapan', '', '+62 000 0000'])('%s is refused', (typed) =>
    expect(normaliseIndonesianPhone(typed)).toBeNull(),
  );
});

describe('P5.2 customer IDs per service line', () => {
  it('IndiHome needs 12 digits, telephony a fixed-line number, Global an account code', () => {
    expect(normaliseCustomerId('indihome', ' 1221 2345 6789 ')).toBe('122123456789');
    expect(normaliseCustomerId('indihome', '12345')).toBeNull();
    expect(normaliseCustomerId('telepon', '0215551234')).toBe('0215551234');
    expect(normaliseCustomerId('telepon', '5551234')).toBeNull();
    expect(normaliseCustomerId('global', 'glb-20331')).toBe('GLB-20331');
    expect(normaliseCustomerId('imes', '!!')).toBeNull();
  });
});

describe('masking customer data for channels', () => {
  it('shows a phone as +62812****7890 and an ID by its last four', () => {
    expect(maskPhone('+6281234567890')).toBe('+62812****7890');
    expect(maskCustomerId('122123456789')).toBe('********6789');
    expect(maskName('Siti Rahmawati Putri')).toBe('Siti R. P.');
  });

  it('masks numbers typed into free text', () => {
    const text = maskFreeText('pelanggan minta ditelepon di 0812-3456-7890 atau 122123456789, jam 14.00');
    expect(text).not.toContain('3456');
    expect(text).not.toContain('122123456789');
    expect(text).toContain('jam 14.00');
  });

  it('property: no valid Indonesian mobile number survives maskFreeText', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10_000_000, max: 99_999_999 }),
        fc.constantFrom('0812', '+62812', '62813', '0857'),
        (n, prefix) => {
          const phone = `${prefix}${n}`;
          expect(maskFreeText(`hubungi ${phone} segera`)).not.toContain(String(n));
        },
      ),
    );
  });
});

describe('A7 SLA table', () => {
  it('gives each ticket its due time by service line and queue', () => {
    const opened = new Date('2026-11-28T00:00:00Z');
    expect(slaDueAt(DEFAULT_SLA_HOURS, 'indihome', 'reguler', opened).toISOString()).toBe('2026-11-29T00:00:00.000Z');
    expect(slaDueAt(DEFAULT_SLA_HOURS, 'global', 'violet', opened).toISOString()).toBe('2026-11-28T04:00:00.000Z');
  });

  it('can be overridden by configuration, and a bad override names the variable', () => {
    const table = parseSlaOverrides('indihome=12,global/violet=2');
    expect(table.indihome.imes).toBe(12);
    expect(table.global.violet).toBe(2);
    expect(table.global.reguler).toBe(DEFAULT_SLA_HOURS.global.reguler);
    expect(() => parseSlaOverrides('tv=3')).toThrow(/POSKO_SLA_HOURS/);
  });
});

describe('ticket numbers', () => {
  it('⚓ GGN- and at least six digits, forgiving what agents type', () => {
    expect(normaliseTicketNumber('ggn-42')).toBe('GGN-000042');
    expect(normaliseTicketNumber('42')).toBe('GGN-000042');
    expect(normaliseTicketNumber('GGN-1234567')).toBe('GGN-1234567');
    expect(normaliseTicketNumber('GGN-0')).toBeNull();
    expect(normaliseTicketNumber('ABC-1')).toBeNull();
  });
});

describe('P5.10 and P5.6 who decides', () => {
  it('never the requester; TL of the team or a supervisor for tl; only a supervisor for spv and telkom', () => {
    expect(() => assertCanDecide(agent, ticket, { level: 'tl', requestedBy: agent.userKey })).toThrow(/forbidden/);
    expect(() => assertCanDecide(tl, ticket, { level: 'tl', requestedBy: tl.userKey })).toThrow(/forbidden/);
    expect(() => assertCanDecide(tl, ticket, { level: 'tl', requestedBy: agent.userKey })).not.toThrow();
    expect(() => assertCanDecide(otherTl, ticket, { level: 'tl', requestedBy: agent.userKey })).toThrow(/forbidden/);
    expect(() => assertCanDecide(tl, ticket, { level: 'telkom', requestedBy: agent.userKey })).toThrow(/forbidden/);
    expect(() => assertCanDecide(spv, ticket, { level: 'telkom', requestedBy: agent.userKey })).not.toThrow();
  });

  it('takeover by the team TL or a supervisor, not by an agent or another team TL', () => {
    expect(() => assertCanTakeOver(agent, ticket)).toThrow(/forbidden/);
    expect(() => assertCanTakeOver(otherTl, ticket)).toThrow(/forbidden/);
    expect(() => assertCanTakeOver(tl, ticket)).not.toThrow();
    expect(() => assertCanTakeOver(tl, { ...ticket, assignee: tl.userKey })).toThrow(/conflict/);
  });
});

describe('A1 the checklist comes from the events', () => {
  const at = new Date();
  it('is pending until the steps happen, and flags what a closed ticket skipped', () => {
    const open = deriveChecklist([{ type: 'opened', at, payload: {} }]);
    expect(open.find((c) => c.clause === 'P5.11')?.state).toBe('pending');
    expect(open.find((c) => c.clause === 'P5.10')?.state).toBe('na');
    const closed = deriveChecklist([
      { type: 'opened', at, payload: {} },
      { type: 'escalation_requested', at, payload: {} },
      { type: 'escalation_approved', at, payload: {} },
      { type: 'confirmed', at, payload: { result: 'ok' } },
      { type: 'closed', at, payload: { offer: true } },
    ]);
    expect(Object.fromEntries(closed.map((c) => [c.clause, c.state]))).toMatchObject({
      'P5.10': 'done',
      'P5.11': 'done',
      'P5.7': 'done',
      'P5.12': 'done',
      'P5.9': 'missing',
    });
  });

  it('a close without the customer (not reached, duplicate) needs no confirmation or offer; a reopen starts closing over', () => {
    const notReached = deriveChecklist([
      { type: 'opened', at, payload: {} },
      { type: 'call_attempt', at, payload: { outcome: 'tidak-diangkat' } },
      { type: 'closed', at, payload: { path: 'no_contact', offer: false } },
    ]);
    expect(Object.fromEntries(notReached.map((c) => [c.clause, c.state]))).toMatchObject({
      'P5.9': 'na',
      'P5.11': 'na',
      'P5.7': 'na',
      'P5.12': 'done',
    });
    const reopened = deriveChecklist([
      { type: 'opened', at, payload: {} },
      { type: 'call_attempt', at, payload: { outcome: 'tersambung' } },
      { type: 'closed', at, payload: { path: 'standard', offer: true } },
      { type: 'reopened', at, payload: {} },
      { type: 'escalation_requested', at, payload: {} },
      { type: 'escalation_cancelled', at, payload: {} },
    ]);
    expect(Object.fromEntries(reopened.map((c) => [c.clause, c.state]))).toMatchObject({
      'P5.9': 'done', // a connected call informed the customer
      'P5.10': 'done',
      'P5.7': 'pending',
      'P5.12': 'pending',
    });
  });
});
