import { defineCommand } from '../src/command/spec.js';
import { QUEUES } from '../src/domain/service-lines.js';
import { ephemeral, mention } from '../src/services/present.js';
import { setRole } from '../src/services/roster.js';

export default defineCommand({
  name: 'peran',
  description: 'cmd.peran',
  roles: ['supervisor'],
  positionals: { user: 'required', role: { choices: ['agent', 'tl', 'spv'] } },
  options: [
    { name: 'tim', kind: 'string', description: 'opt.tim' },
    { name: 'antrian', kind: 'choice', choices: QUEUES, description: 'opt.antrian' },
    { name: 'bahasa', kind: 'choice', choices: ['id', 'en', 'auto'], description: 'opt.bahasa' },
  ],
  example: 'peran @dodi agent tim=a antrian=violet',
  async handler({ core, actor, t: say }, { user, role, options }) {
    const change = await setRole(core, actor, user ?? '', role ?? '', options.tim, options.antrian, options.bahasa);
    const lines = [
      say('reply.role', {
        who: mention(change.userKey),
        role: say(`role.${change.role}`),
        team: change.team,
        queue: change.queue,
      }),
    ];
    // Only when it was asked about: a role change alone keeps the reply as it was.
    if (options.bahasa) lines.push(say('role.language', { language: say(`language.${change.locale ?? 'auto'}`) }));
    return [ephemeral(null, lines.join(' '))];
  },
});
