import { ALL_ROLES, defineCommand } from '../src/command/spec.js';
import { myQueue, renderQueue } from '../src/services/my-queue.js';

/** DESIGN §8: the caller's queue; on Slack the same list is the App Home tab. */
export default defineCommand({
  name: 'saya',
  description: 'cmd.saya',
  roles: ALL_ROLES,
  readOnly: true,
  positionals: {},
  options: [],
  example: 'saya',
  async handler({ core, actor, viewer }) {
    const now = core.clock();
    return [renderQueue(viewer, await myQueue(core, actor, now), now)];
  },
});
