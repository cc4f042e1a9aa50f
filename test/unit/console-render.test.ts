import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../src/app.js';
import { translator } from '../../src/i18n/index.js';
import { createConsole } from '../../src/platforms/console/console.js';
import { renderJson, renderPlain } from '../../src/platforms/console/render.js';
import type { Reply } from '../../src/reply.js';

const t = translator('id');
const card: Reply = {
  audience: 'channel',
  ticket: 'GGN-000001',
  error: null,
  text: 'GGN-000001 · IndiHome · Ditangani · PIC <@console:ani>',
  title: 'GGN-000001',
  fields: [{ label: 'Ditangani', value: '<@console:ani>' }],
  mentions: ['console:budi'],
};

describe('the console renders for people', () => {
  it('a thread message is one line that names its ticket once', () => {
    const named = renderPlain(
      { audience: 'thread', ticket: 'GGN-000001', error: null, text: 'GGN-000001 · Catatan <@console:ani>:\nlanjut' },
      t,
    );
    expect(named).toBe('  ↳ GGN-000001 · Catatan @ani: · lanjut');
    const unnamed = renderPlain({ audience: 'thread', ticket: 'GGN-000001', error: null, text: 'Catatan' }, t);
    expect(unnamed).toBe('  ↳ GGN-000001 · Catatan');
  });

  it('--json shows people as @name in text, fields and mentions', () => {
    const doc = JSON.parse(renderJson(card, 3));
    expect(doc.text).toContain('@ani');
    expect(doc.fields[0].value).toBe('@ani');
    expect(doc.mentions).toEqual(['@budi']);
    expect(doc).toMatchObject({ audience: 'channel', ticket: 'GGN-000001', error: null, line: 3 });
  });

  it('a card is printed again only when an edit changes it', async () => {
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk) => {
      printed += String(chunk);
    });
    const core = { t, log: { warn() {} } } as unknown as Core;
    const { deliverer } = createConsole(core, { json: false, input: new PassThrough(), output });
    const ref = await deliverer.post('console', card);
    const afterPost = printed.length;
    await deliverer.edit(ref, { ...card });
    expect(printed.length).toBe(afterPost);
    await deliverer.edit(ref, { ...card, text: `${card.text} · Dieskalasi` });
    expect(printed.slice(afterPost)).toContain('(diperbarui)');
  });
});
