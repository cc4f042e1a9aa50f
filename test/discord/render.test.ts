/**
 * The Discord rendering of neutral replies: native user mentions, `allowed_mentions` that only
 * lets the listed people be pinged, embeds within Discord's limits, buttons that carry their
 * command line, modals from forms.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { derivedForm, formModal, submittedValues } from '../../src/platforms/discord/forms.js';
import { renderMessage, renderText, threadName } from '../../src/platforms/discord/render.js';
import type { Reply } from '../../src/reply.js';

const reply = (extra: Partial<Reply>): Reply => ({
  audience: 'thread',
  ticket: 'GGN-000042',
  error: null,
  text: 'GGN-000042',
  ...extra,
});

describe('Discord rendering', () => {
  it('renders Discord user keys as native mentions and other platforms as plain names', () => {
    expect(renderText('<@discord:123456789012345678> minta <@slack:U123> dan <@console:ani>')).toBe(
      '<@123456789012345678> minta @U123 dan @ani',
    );
  });

  it('lets only the listed Discord users be pinged, never @everyone, @here or roles', () => {
    const body = renderMessage(
      reply({
        text: 'GGN-000042 · <@discord:111111111111111111> @everyone <@&222222222222222222> @here',
        mentions: ['discord:111111111111111111', 'slack:U999', 'console:ani'],
      }),
    );
    expect(body.allowed_mentions).toEqual({ parse: [], users: ['111111111111111111'], roles: [], replied_user: false });
    expect(body.content).not.toMatch(/(?<!\u200b)@(everyone|here)/);
  });

  it('no text at all can produce a message that pings a crowd', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.string()), (text, mentions) => {
        const body = renderMessage(reply({ text, mentions }));
        expect(body.allowed_mentions.parse).toEqual([]);
        expect(body.allowed_mentions.roles).toEqual([]);
        for (const id of body.allowed_mentions.users) expect(mentions).toContain(`discord:${id}`);
        expect(body.content.length).toBeLessThanOrEqual(2000);
      }),
    );
  });

  it('a card is an embed with fields, the SOP checklist and the newest history within limits', () => {
    const body = renderMessage(
      reply({
        title: 'GGN-000042 · IndiHome',
        fields: [{ label: 'Kontak', value: '+62812****7890' }],
        checklist: [
          { clause: 'P5.2', label: 'Data diverifikasi', state: 'done' },
          { clause: 'P5.11', label: 'Konfirmasi pelanggan', state: 'missing' },
        ],
        history: Array.from({ length: 200 }, (_, i) => `baris riwayat nomor ${i}`),
        buttons: [{ actionId: 'x', label: 'Setujui', command: 'setujui GGN-000042 permintaan=7', style: 'primary' }],
      }),
    );
    const [embed] = body.embeds as { title: string; fields: { name: string; value: string }[] }[];
    expect(embed!.title).toBe('GGN-000042 · IndiHome');
    expect(embed!.fields.map((f) => f.value).join('\n')).toContain('✅ P5.2');
    const history = embed!.fields.at(-1)!.value;
    expect(history.length).toBeLessThanOrEqual(1024);
    expect(history).toContain('nomor 199');
    expect(body.components).toEqual([
      {
        type: 1,
        components: [{ type: 2, style: 1, label: 'Setujui', custom_id: 'c|setujui GGN-000042 permintaan=7' }],
      },
    ]);
    expect(threadName(reply({ title: 'GGN-000042 · IndiHome' }))).toBe('GGN-000042 · IndiHome');
  });

  it('a form becomes a modal of at most five labelled fields, and its submission reads back by name', () => {
    const modal = formModal(
      {
        command: 'buka',
        title: 'Buka tiket gangguan',
        fields: [
          {
            name: 'layanan',
            label: 'Layanan',
            kind: 'choice',
            required: true,
            choices: [{ value: 'imes', label: 'IMES' }],
          },
          { name: 'a', label: 'A', kind: 'text', required: true },
          { name: 'opsional', label: 'O', kind: 'text', required: false },
          { name: 'b', label: 'B', kind: 'text', required: true },
          { name: 'c', label: 'C', kind: 'long_text', required: true },
          { name: 'd', label: 'D', kind: 'text', required: true, initial: 'isi' },
        ],
      },
      'buka baru=ya',
    ) as { custom_id: string; components: { type: number; component: { custom_id: string; value?: string } }[] };
    expect(modal.custom_id).toBe('m|buka baru=ya');
    expect(modal.components.map((c) => c.component.custom_id)).toEqual(['layanan', 'a', 'b', 'c', 'd']);
    expect(modal.components.every((c) => c.type === 18)).toBe(true);
    expect(modal.components[4]!.component.value).toBe('isi');
    expect(
      submittedValues([
        { component: { customId: 'layanan', values: ['imes'] } },
        { component: { customId: 'a', value: ' x ' } },
        { components: [{ customId: 'b', value: '' }] },
      ]),
    ).toEqual({ layanan: 'imes', a: 'x' });
  });

  it('after a restart a reject button rebuilds its reason form from the command spec', () => {
    expect(derivedForm('tolak GGN-000042 permintaan=7', 'Tolak GGN-000042', 'Teks')).toEqual({
      command: 'tolak',
      title: 'Tolak GGN-000042',
      fields: [{ name: 'teks', label: 'Teks', kind: 'long_text', required: true }],
    });
    expect(derivedForm('setujui GGN-000042', 'x', 'Teks')).toBeUndefined();
  });
});
