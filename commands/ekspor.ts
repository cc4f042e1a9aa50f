import { defineCommand, LEADERS } from '../src/command/spec.js';
import { sendFilesToCaller } from '../src/reports/deliver.js';
import { exportTickets } from '../src/reports/export.js';
import { ephemeral } from '../src/services/present.js';

export default defineCommand({
  name: 'ekspor',
  description: 'cmd.ekspor',
  // Agents are refused by role; a TL only for their own team; full data (penuh=ya) only a supervisor.
  roles: LEADERS,
  readOnly: true,
  positionals: {},
  options: [
    { name: 'dari', kind: 'string', required: true, description: 'opt.eksporDari' },
    { name: 'sampai', kind: 'string', required: true, description: 'opt.eksporSampai' },
    { name: 'tim', kind: 'string', description: 'opt.tim' },
    { name: 'penuh', kind: 'yes', description: 'opt.penuh' },
  ],
  example: 'ekspor dari=2026-12-01 sampai=2026-12-07 tim=a',
  async handler({ core, actor }, { options }) {
    const full = options.penuh === 'ya';
    const result = await exportTickets(core, actor, {
      from: options.dari ?? '',
      to: options.sampai ?? '',
      team: options.tim,
      full,
    });
    const params = {
      n: result.rows,
      from: options.dari ?? '',
      to: options.sampai ?? '',
      team: result.team ?? core.t('report.allTeams'),
      data: core.t(full ? 'report.dataFull' : 'report.dataMasked'),
      file: result.file.name,
    };
    await sendFilesToCaller(core, actor, core.t('report.exportSent', params), [result.file]);
    return [ephemeral(null, core.t('report.exportDone', params))];
  },
});
