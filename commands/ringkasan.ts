import { defineCommand, LEADERS } from '../src/command/spec.js';
import { sendFilesToCaller } from '../src/reports/deliver.js';
import { actionableDigest } from '../src/reports/digest.js';

export default defineCommand({
  name: 'ringkasan',
  description: 'cmd.ringkasan',
  roles: LEADERS,
  readOnly: true,
  positionals: {},
  // `semua=ya`: the whole at-risk list and every figure ("lihat semua"); the short view fits a phone screen.
  options: [{ name: 'semua', kind: 'yes', description: 'opt.semua' }],
  example: 'ringkasan',
  async handler({ core, actor }, { options }) {
    const all = options.semua === 'ya';
    const { files, ...digest } = await actionableDigest(core, core.clock(), { all, chart: !all });
    // An ephemeral answer cannot carry a file on Slack: the chart comes as a direct message.
    if (files?.length) await sendFilesToCaller(core, actor, core.t('report.chart.title'), files);
    return [{ ...digest, audience: 'ephemeral' }];
  },
});
