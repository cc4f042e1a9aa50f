import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseButtonValue, renderReply } from '../../src/platforms/slack/blocks.js';
import { formModal, formValues } from '../../src/platforms/slack/modal.js';
import { toMrkdwn } from '../../src/platforms/slack/mrkdwn.js';
import type { Reply } from '../../src/reply.js';

const card: Reply = {
  audience: 'channel',
  ticket: 'GGN-000042',
  error: null,
  text: 'GGN-000042 dibuka oleh <@slack:U1>',
  title: 'GGN-000042 · IndiHome',
  fields: [
    { label: 'Pelanggan', value: 'Siti R. · ********6789 · +62812****7890' },
    { label: 'Status', value: 'open' },
  ],
  checklist: [
    { clause: 'P5.2', label: 'Data pelanggan', state: 'done' },
    { clause: 'P5.11', label: 'Konfirmasi', state: 'pending' },
  ],
  buttons: [{ actionId: 'escalation.approve', label: 'Setujui', command: 'setujui GGN-000042', style: 'primary' }],
  mentions: ['slack:U1', 'slack:U2'],
};

const allText = (msg: ReturnType<typeof renderReply>) => JSON.stringify(msg);

describe('Slack rendering of a Reply', () => {
  it('renders a card with header, fields, checklist, buttons, and a fallback naming the ticket', () => {
    const msg = renderReply(card);
    expect(msg.text).toContain('GGN-000042');
    expect(msg.text).toContain('<@U1>');
    expect(msg.text).toContain('<@U2>');
    expect(msg.blocks[0]).toMatchObject({ type: 'header' });
    const actions = msg.blocks.find((b) => b.type === 'actions') as {
      elements: { action_id: string; value: string }[];
    };
    expect(actions.elements[0]?.action_id).toMatch(/^posko\.0\.escalation\.approve$/);
    expect(parseButtonValue(actions.elements[0]?.value)?.c).toBe('setujui GGN-000042');
  });

  it('keeps every field of a long card (Slack allows 10 per section)', () => {
    const fields = Array.from({ length: 14 }, (_, i) => ({ label: `f${i}`, value: `v${i}` }));
    const sections = renderReply({ ...card, fields }).blocks.filter((b) => Array.isArray(b.fields)) as {
      fields: unknown[];
    }[];
    expect(sections.map((b) => b.fields.length)).toEqual([10, 4]);
  });

  it('adds the ticket number to a fallback that lacks it', () => {
    expect(renderReply({ ...card, text: 'selesai', mentions: [] }).text).toBe('GGN-000042: selesai');
  });

  it('keeps user mentions and renders other platforms as plain names', () => {
    expect(toMrkdwn('<@slack:U1> <@U2|budi> <@console:ani>')).toBe('<@U1> <@U2> @ani');
  });

  it('pings only the listed users; others are named without a ping', () => {
    expect(toMrkdwn('<@slack:U1> <@slack:U2> <@U3|budi>', { pinging: new Set(['slack:U2']) })).toBe('@U1 <@U2> @budi');
    const names = new Map([['slack:U1', 'Ani S.']]);
    expect(toMrkdwn('<@slack:U1> <@slack:U2>', { pinging: new Set(), names })).toBe('@Ani S. @U2');
  });

  it('renders every Slack user natively in an ephemeral answer, which notifies no one', () => {
    const msg = renderReply({ ...card, audience: 'ephemeral', mentions: [], text: 'GGN-000042 <@slack:U7>' });
    expect(msg.text).toBe('GGN-000042 <@U7>');
  });

  it('never lets user text become a broadcast or a link', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.constantFrom('<!channel>', '<!here>', '<!everyone>', '<!subteam^S1>', '<https://x|y>'),
        (a, b) => {
          const out = allText(renderReply({ ...card, text: `${a}${b}${a}`, fields: [{ label: b, value: a + b }] }));
          expect(out).not.toMatch(/<!(channel|here|everyone|subteam)/);
          expect(out).not.toContain('<https://');
        },
      ),
    );
  });

  it('builds a modal whose block ids are the option names and reads values back', () => {
    const view = formModal(
      {
        command: 'buka',
        title: 'Buka tiket gangguan baru',
        fields: [
          {
            name: 'layanan',
            label: 'Layanan',
            kind: 'choice',
            required: true,
            choices: [{ value: 'indihome', label: 'IndiHome' }],
          },
          { name: 'keluhan', label: 'Keluhan', kind: 'long_text', required: true },
          { name: 'monita', label: 'MONITA', kind: 'text', required: false },
        ],
      },
      { line: 'buka', channel: 'C1' },
      { submit: 'Kirim', close: 'Batal' },
    );
    expect((view.title as { text: string }).text.length).toBeLessThanOrEqual(24);
    const blocks = view.blocks as { block_id: string; optional: boolean; element: { type: string } }[];
    expect(blocks.map((b) => b.block_id)).toEqual(['layanan', 'keluhan', 'monita']);
    expect(blocks[0]?.element.type).toBe('static_select');
    expect(blocks[2]?.optional).toBe(true);
    expect(
      formValues({
        layanan: { value: { type: 'static_select', selected_option: { value: 'indihome' } } },
        keluhan: { value: { type: 'plain_text_input', value: ' mati total ' } },
        monita: { value: { type: 'plain_text_input', value: null } },
      }),
    ).toEqual({ layanan: 'indihome', keluhan: 'mati total' });
  });
});
