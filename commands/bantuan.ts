import type { CommandSpec } from '../src/command/spec.js';
import { defineCommand } from '../src/command/spec.js';
import { DomainError } from '../src/domain/errors.js';
import type { MessageKey, Translate } from '../src/i18n/index.js';
import { ephemeral } from '../src/services/present.js';
import { aliasesOf, commandName, keyAliasesOf } from './aliases.js';

/** `catat <tiket> <teks> [dari=…]`: the command's shape, in the reader's words. */
function usage(spec: CommandSpec, t: Translate): string {
  const p = spec.positionals;
  const parts = [spec.name];
  if (p.ticket) parts.push(t('help.arg.ticket'));
  if (p.user) parts.push(t('help.arg.user'));
  if (p.role) parts.push(`<${p.role.choices.join('|')}>`);
  for (const o of spec.options) {
    const shape = o.choices ? `${o.name}=${o.choices.join('|')}` : o.kind === 'yes' ? `${o.name}=ya` : `${o.name}=…`;
    parts.push(o.required ? shape : `[${shape}]`);
  }
  if (p.text) parts.push(t(p.text === 'required' ? 'help.arg.text' : 'help.arg.textOptional'));
  return parts.join(' ');
}

/** One command explained: shape, English names, each key with what it takes, an example. */
export function explain(spec: CommandSpec, t: Translate): string {
  const lines = [`/tiket ${spec.name} — ${t(spec.description)}`, t('help.usage', { usage: usage(spec, t) })];
  const aliases = aliasesOf(spec.name);
  if (aliases.length) lines.push(t('help.aliases', { aliases: aliases.join(', ') }));
  if (spec.options.length) {
    lines.push(t('help.keys'));
    for (const o of spec.options) {
      const notes = [o.required ? t('help.required') : '', o.choices?.join(', ') ?? ''];
      const english = keyAliasesOf(o.name);
      if (english.length) notes.push(t('help.keyAliases', { aliases: english.map((a) => `${a}=`).join(', ') }));
      const extra = notes.filter(Boolean).join('; ');
      lines.push(`• ${o.name}= ${t(o.description as MessageKey)}${extra ? ` (${extra})` : ''}`);
    }
  }
  lines.push(t('help.example', { example: spec.example }));
  return lines.join('\n');
}

export default defineCommand({
  name: 'bantuan',
  description: 'cmd.bantuan',
  roles: ['agent', 'team_leader', 'supervisor', null],
  readOnly: true,
  positionals: { text: 'optional' },
  options: [],
  example: 'bantuan buka',
  async handler({ actor, t, commands }, { text }) {
    if (text) {
      const word =
        text
          .trim()
          .split(/\s+/)[0]
          ?.replace(/^\/?tiket$/i, '') ?? '';
      const wanted = commandName(word.toLowerCase());
      const spec = commands.find((c) => c.name === wanted);
      if (!spec)
        throw new DomainError('invalid_input', 'err.unknownCommand', {
          name: word,
          commands: commands.map((c) => c.name).join(', '),
        });
      return [ephemeral(null, explain(spec, t))];
    }
    const lines = commands
      .filter((c) => c.roles.includes(actor.role))
      .map((c) => `• /tiket ${c.example}\n   ${t(c.description)}`);
    const footer = actor.role ? '' : `\n${t('help.notOnRoster', { user: actor.userKey })}`;
    return [ephemeral(null, `${t('help.title')}\n${lines.join('\n')}\n${t('help.more')}${footer}`)];
  },
});
