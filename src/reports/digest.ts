/** The digest as `ringkasan` and the digest job send it: the list to act on, the KPIs, the chart. */
import type { Core } from '../app.js';
import type { Reply } from '../reply.js';
import {
  currentShift,
  type DigestPeriod,
  digestFigures,
  kpiFigures,
  renderDigest,
  satisfactionFields,
} from '../services/digest.js';
import { ticketsAtRisk } from './at-risk.js';
import { digestChart } from './chart.js';
import { chartData } from './chart-data.js';
import { countFields, kpiFields, riskFields } from './digest-view.js';

export interface DigestOptions {
  /** The full view ("lihat semua"): every figure and the whole at-risk list, grouped. */
  all?: boolean;
  period?: DigestPeriod;
  /** Draw and attach the chart (off where only the text is wanted). */
  chart?: boolean;
}

/** The shift before `period`: from the schedule's previous fire to the start of this one. */
export function previousShift(core: Pick<Core, 'config'>, period: DigestPeriod): DigestPeriod {
  return { from: currentShift(core, period.from).from, to: period.from };
}

export async function actionableDigest(core: Core, now: Date, opts: DigestOptions = {}): Promise<Reply> {
  const period = opts.period ?? currentShift(core, now);
  const informEvery = core.config.POSKO_INFORM_EVERY_MINUTES;
  const [figures, previous, risk, chart] = await Promise.all([
    digestFigures(core, now, period),
    kpiFigures(core, previousShift(core, period), informEvery),
    ticketsAtRisk(core, now),
    opts.chart === false ? null : chartData(core, period).then((data) => digestChart(core, data)),
  ]);
  const base = renderDigest(core, figures);
  const { t } = core;
  const fields = [
    ...riskFields(t, risk, opts.all === true),
    ...(opts.all ? countFields(base.fields ?? [], t) : []),
    ...kpiFields(t, figures.kpi, previous, opts.all === true),
    // The rating per agent and team is the long part: the full view; the short one shows the total.
    ...satisfactionFields(core, figures.satisfaction).slice(0, opts.all ? undefined : 1),
  ];
  return {
    ...base,
    fields,
    buttons: opts.all ? [] : [{ actionId: 'digest.all', label: t('report.seeAll'), command: 'ringkasan semua=ya' }],
    files: chart ? [chart] : [],
  };
}
