import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { bind } from '../../src/command/bind.js';
import { lineToRaw } from '../../src/command/dispatch.js';
import { parseLine, parseUserRef, tokenise } from '../../src/command/parser.js';
import { DomainError } from '../../src/domain/errors.js';

const spec = (name: string) => {
  const s = COMMANDS.find((c) => c.name === name);
  if (!s) throw new Error(name);
  return s;
};

describe('the ⚓ grammar', () => {
  it('reads key=value, quoted values, curly quotes and free text', () => {
    const raw = lineToRaw(
      '/tiket buka Layanan=indihome nama="Siti  Rahma" keluhan=“mati total” id=122123456789 kontak=0812',
    );
    const { tokens: _tokens, ...fields } = raw;
    expect(fields).toEqual({
      name: 'buka',
      positionals: [],
      options: { layanan: 'indihome', nama: 'Siti  Rahma', keluhan: 'mati total', id: '122123456789', kontak: '0812' },
    });
  });

  it('puts the ticket first and the rest into free text', () => {
    const bound = bind(spec('eskalasi'), lineToRaw('eskalasi GGN-000042 ke=SPV redaman tinggi "di ODP"'), 'console');
    expect(bound).toEqual({ ticket: 'GGN-000042', options: { ke: 'spv' }, text: 'redaman tinggi di ODP' });
  });

  it('reads Slack and Discord mentions and bare ids as users', () => {
    expect(parseUserRef('<@U123ABC>')).toBe('U123ABC');
    expect(parseUserRef('<@U123ABC|dodi>')).toBe('U123ABC');
    expect(parseUserRef('<@!80351110224678912>')).toBe('80351110224678912');
    expect(parseUserRef('dodi')).toBe('dodi');
    expect(parseUserRef('<#C123>')).toBeNull();
    const bound = bind(spec('peran'), lineToRaw('peran <@U777|eko> tl tim=b'), 'slack');
    expect(bound).toMatchObject({ user: 'slack:U777', role: 'tl', options: { tim: 'b' } });
  });

  it.each([
    ['unknown key', 'tutup GGN-000001 warna=biru', 'warna'],
    ['repeated key', 'konfirmasi GGN-000001 hasil=ok hasil=gagal', 'hasil'],
    ['repeated key through an English alias', 'tutup GGN-000001 kode=A code=B', 'kode'],
    ['bad choice', 'konfirmasi GGN-000001 hasil=mungkin', 'hasil'],
    ['missing required', 'konfirmasi GGN-000001', 'hasil'],
    ['missing ticket', 'lihat', 'tiket'],
    ['missing text', 'catat GGN-000001', 'teks'],
    ['bad yes', 'tutup GGN-000001 tawaran=mungkin', 'tawaran'],
    ['bad role', 'peran dodi bos', 'peran'],
  ])('%s → invalid_input naming the option', (_, line, option) => {
    const raw = lineToRaw(line);
    try {
      bind(spec(raw.name), raw, 'console');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).code).toBe('invalid_input');
      expect(JSON.stringify((err as DomainError).params)).toContain(option);
    }
  });

  it('a required option given a refused value is answered once, as invalid, not also as missing', () => {
    const raw = lineToRaw('hubungi GGN-000001 hasil=meledak');
    try {
      bind(spec('hubungi'), raw, 'console');
      expect.unreachable();
    } catch (err) {
      const e = err as DomainError;
      const all = e.details.length > 0 ? e.details : [e];
      expect(all.map((d) => [d.key, d.params.option])).toEqual([['err.badChoice', 'hasil']]);
    }
  });

  it('an unclosed quote is read as plain text, not an error', () => {
    expect(tokenise('catat GGN-1 "belum ditutup')).toEqual([
      { key: undefined, value: 'catat', quoted: false },
      { key: undefined, value: 'GGN-1', quoted: false },
      { key: undefined, value: '"belum', quoted: false },
      { key: undefined, value: 'ditutup', quoted: false },
    ]);
  });

  it('property: no input line makes the parser or the binder throw anything but a DomainError', () => {
    const word = fc.constantFrom(
      'buka',
      'tutup',
      'peran',
      'eskalasi',
      'catat',
      'GGN-000001',
      'ke=tl',
      'hasil=ok',
      'tawaran=ya',
      '"',
      '“',
      '<@U1>',
      '=',
      'x=',
      '=y',
      ' ',
      '\t',
      '\n',
    );
    const line = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.array(fc.oneof(word, fc.string({ maxLength: 10 })), { maxLength: 12 }).map((w) => w.join(' ')),
    );
    fc.assert(
      fc.property(line, (input) => {
        const parsed = parseLine(input);
        expect(typeof parsed.name).toBe('string');
        const raw = lineToRaw(input);
        const command = COMMANDS.find((c) => c.name === raw.name);
        if (!command) return;
        try {
          bind(command, raw, 'slack');
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          expect(err.code).toBe('invalid_input');
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('choice aliases', () => {
  it('daftar offers five Indonesian statuses and still understands the English words', () => {
    const status = spec('daftar').options.find((o) => o.name === 'status');
    expect(status?.choices).toEqual(['aktif', 'ditangani', 'eskalasi', 'dikonfirmasi', 'ditutup']);
    expect(bind(spec('daftar'), lineToRaw('daftar status=Escalated'), 'console').options.status).toBe('eskalasi');
    expect(bind(spec('daftar'), lineToRaw('daftar status=closed'), 'console').options.status).toBe('ditutup');
  });
});
