import { defineCommand, HANDLERS } from '../src/command/spec.js';
import { revealCustomerData } from '../src/services/reveal.js';

export default defineCommand({
  name: 'buka-data',
  description: 'cmd.bukaData',
  roles: HANDLERS,
  positionals: { ticket: 'required' },
  options: [],
  example: 'buka-data GGN-000042',
  async handler({ core, actor }, { ticket }) {
    return [await revealCustomerData(core, actor, ticket ?? '')];
  },
});
