import { defineCommand } from '../src/command/spec.js';
import { ephemeral } from '../src/services/present.js';
import { COMMANDS } from './index.js';

export default defineCommand({
  name: 'bantuan',
  description: 'cmd.bantuan',
  roles: ['agent', 'team_leader', 'supervisor', null],
  readOnly: true,
  positionals: {},
  options: [],
  example: 'bantuan',
  async handler({ core, actor }) {
    const lines = COMMANDS.filter((c) => c.roles.includes(actor.role)).map(
      (c) => `• /tiket ${c.example}\n   ${core.t(c.description)}`,
    );
    const footer = actor.role ? '' : `\n${core.t('help.notOnRoster', { user: actor.userKey })}`;
    return [ephemeral(null, `${core.t('help.title')}\n${lines.join('\n')}${footer}`)];
  },
});
