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
  ],
  example: 'peran @dodi agent tim=a antrian=violet',
  async handler({ core, actor }, { user, role, options }) {
    const change = await setRole(core, actor, user ?? '', role ?? '', options.tim, options.antrian);
    return [
      ephemeral(
        null,
        core.t('reply.role', {
          who: mention(change.userKey),
          role: core.t(`role.${change.role}`),
          team: change.team,
          queue: change.queue,
        }),
      ),
    ];
  },
});
