import { ALL_ROLES, defineCommand } from '../src/command/spec.js';
import { viewTicket } from '../src/services/queries.js';

export default defineCommand({
  name: 'lihat',
  description: 'cmd.lihat',
  roles: ALL_ROLES,
  readOnly: true,
  positionals: { ticket: 'required' },
  options: [],
  example: 'lihat GGN-000042',
  async handler({ core, actor }, { ticket }) {
    return [await viewTicket(core, actor, ticket ?? '')];
  },
});
