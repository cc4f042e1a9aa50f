import { defineCommand, LEADERS } from '../src/command/spec.js';
import { buildDigest } from '../src/services/digest.js';

export default defineCommand({
  name: 'ringkasan',
  description: 'cmd.ringkasan',
  roles: LEADERS,
  readOnly: true,
  positionals: {},
  options: [],
  example: 'ringkasan',
  async handler({ core }) {
    const digest = await buildDigest(core, core.clock());
    return [{ ...digest, audience: 'ephemeral' }];
  },
});
