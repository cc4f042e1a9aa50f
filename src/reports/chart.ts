/**
 * The digest's chart: open tickets per hour by SLA state (stacked bars), and the KPIs per team
 * (grouped bars), drawn by Vega-Lite to SVG and rasterised by resvg to a PNG on the server.
 */
import { writeFile } from 'node:fs/promises';
import type { TopLevelSpec } from 'vega-lite';
import type { Core } from '../app.js';
import type { ReplyFile } from '../reply.js';
import type { Ratio } from '../services/digest.js';
import type { ChartData, SlaState } from './chart-data.js';
import { RATIO_KPIS } from './digest-view.js';
import { reportPath, stamp } from './files.js';

const STATE_COLOR: Record<SlaState, string> = { ok: '#2e9d5b', low: '#f0a020', breached: '#d64541' };
const STATES: SlaState[] = ['ok', 'low', 'breached'];
/** Wide enough to read on a phone once scaled down, sharp on a desktop. */
const WIDTH = 560;
const FONT = 'DejaVu Sans';

function hourLabel(core: Core, at: Date): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: core.config.POSKO_TIMEZONE,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

export function chartSpec(core: Core, data: ChartData): TopLevelSpec {
  const { t } = core;
  const stateLabel = (s: SlaState) => t(`report.chart.${s}`);
  const hours = data.hours.flatMap((h) =>
    STATES.map((s, order) => ({ hour: hourLabel(core, h.at), state: stateLabel(s), order, n: h.counts[s] })),
  );
  const hourOrder = data.hours.map((h) => hourLabel(core, h.at));
  const kpis = data.teams
    .flatMap(({ team, kpi }) =>
      RATIO_KPIS.map(({ key, short }) => {
        const r = kpi[key] as Ratio;
        return {
          team: t('report.team', { team }),
          kpi: t(short),
          pct: r.of === 0 ? null : Math.round((100 * r.n) / r.of),
        };
      }),
    )
    .filter((k) => k.pct !== null);
  const kpiChart = kpis.length
    ? {
        title: t('report.chart.kpiTitle'),
        width: WIDTH,
        height: 180,
        data: { values: kpis.map((k) => ({ ...k, label: `${k.pct}%` })) },
        encoding: {
          x: {
            field: 'kpi',
            type: 'nominal' as const,
            title: null,
            sort: RATIO_KPIS.map((k) => t(k.short)),
            axis: { labelAngle: 0 },
          },
          xOffset: { field: 'team', type: 'nominal' as const },
          y: {
            field: 'pct',
            type: 'quantitative' as const,
            title: '%',
            scale: { domain: [0, 110] },
            axis: { values: [0, 25, 50, 75, 100] },
          },
          color: {
            field: 'team',
            type: 'nominal' as const,
            title: t('report.chart.team'),
            scale: { scheme: 'tableau10' },
            legend: { symbolType: 'square' },
          },
        },
        // The figure on each bar: a 0 % bar has no height, and a phone reader should not measure bars.
        layer: [
          { mark: { type: 'bar' as const, tooltip: false } },
          {
            mark: { type: 'text' as const, dy: -7, fontSize: 11, color: '#333' },
            encoding: { text: { field: 'label' } },
          },
        ],
      }
    : {
        title: t('report.chart.kpiTitle'),
        width: WIDTH,
        height: 40,
        data: { values: [{ text: t('report.chart.noKpi') }] },
        mark: { type: 'text' as const, fontSize: 14, color: '#666' },
        encoding: { text: { field: 'text', type: 'nominal' as const } },
      };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    padding: 16,
    config: {
      font: FONT,
      title: { fontSize: 16, anchor: 'start' },
      axis: { labelFontSize: 12, titleFontSize: 12 },
      legend: { labelFontSize: 12, titleFontSize: 12, orient: 'top' },
    },
    // Each chart its own colours: SLA states in one, teams in the other.
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
    vconcat: [
      {
        title: t('report.chart.hoursTitle'),
        width: WIDTH,
        height: 220,
        data: { values: hours },
        mark: { type: 'bar', tooltip: false },
        encoding: {
          x: { field: 'hour', type: 'ordinal', title: null, sort: hourOrder, axis: { labelAngle: 0 } },
          y: {
            field: 'n',
            type: 'quantitative',
            title: t('report.chart.tickets'),
            stack: 'zero',
            axis: { tickMinStep: 1 },
          },
          color: {
            field: 'state',
            type: 'nominal',
            title: null,
            scale: { domain: STATES.map(stateLabel), range: STATES.map((s) => STATE_COLOR[s]) },
          },
          order: { field: 'order', type: 'quantitative' },
        },
      },
      kpiChart,
    ],
  } as TopLevelSpec;
}

/** SVG from the spec (Vega's headless renderer, no canvas), then PNG at twice the size. */
export async function renderPng(spec: TopLevelSpec): Promise<Buffer> {
  // Loaded on first use: vega and resvg are large, and only the digest draws.
  const [vega, { compile }, { Resvg }] = await Promise.all([
    import('vega'),
    import('vega-lite'),
    import('@resvg/resvg-js'),
  ]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG(2);
    const png = new Resvg(svg, {
      background: 'white',
      font: { loadSystemFonts: true, defaultFontFamily: FONT },
    }).render();
    return png.asPng();
  } finally {
    view.finalize();
  }
}

/** The chart as a file for the adapters to upload. */
export async function digestChart(core: Core, data: ChartData): Promise<ReplyFile> {
  const name = `ringkasan-${stamp(core, data.period.to)}.png`;
  const path = await reportPath(core, name);
  await writeFile(path, await renderPng(chartSpec(core, data)), { mode: 0o600 });
  return { path, name, title: core.t('report.chart.title'), mime: 'image/png' };
}
