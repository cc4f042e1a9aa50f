/**
 * The digest people can act on: first the tickets at risk, most urgent first, each a link to its
 * thread, grouped per team leader and per agent; then the KPIs with the previous shift beside
 * them. The short view fits one phone screen and ends with "lihat semua" (`ringkasan semua=ya`);
 * the full view adds every figure of the digest and the whole list.
 */
import type { Core } from '../app.js';
import type { MessageKey } from '../i18n/index.js';
import type { ReplyField } from '../reply.js';
import type { DigestFigures, KpiFigures, Ratio } from '../services/digest.js';
import { durationLabel, mention } from '../services/present.js';
import type { AtRisk, AtRiskTicket } from './at-risk.js';
import { ticketLink } from './links.js';
import type { RiskKind } from './risk.js';

/** Lines of the at-risk list on the short view: with the header, counts and KPIs, one phone screen. */
export const SHORT_LIST = 5;

const ICON: Record<RiskKind, string> = { breached: '🔴', low: '🟠', approval: '⏳', uninformed: '🔔' };

type T = Core['t'];

/** `🔴 [GGN-000042](link) lewat 1 j 5 mnt · @ani · menunggu persetujuan` */
export function riskLine(t: T, r: AtRiskTicket, withAssignee = true): string {
  const { msLeft, kinds } = r.reading;
  const first = kinds[0] ?? 'low';
  const clock =
    msLeft <= 0
      ? t('report.over', { time: durationLabel({ t }, msLeft) })
      : t('report.left', { time: durationLabel({ t }, msLeft) });
  const why = kinds.filter((k) => k !== 'breached' && k !== 'low').map((k) => t(`report.kind.${k}` as MessageKey));
  return [
    `${ICON[first]} ${ticketLink(r.number, r.link)} ${clock}${r.paused ? ` ⏸ ${t('report.paused')}` : ''}`,
    ...(withAssignee ? [mention(r.assignee)] : []),
    ...why,
  ].join(' · ');
}

function countBy<K>(rows: readonly AtRiskTicket[], key: (r: AtRiskTicket) => K): [K, number][] {
  const counts = new Map<K, number>();
  for (const r of rows) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}

/** `@budi (tim a) 3 · @eko (tim b) 1`: who answers for how many tickets at risk. */
export function perLeader(t: T, risk: AtRisk): string {
  return (
    countBy(risk.tickets, (r) => r.team)
      .map(([team, n]) => {
        const who = (risk.leaders.get(team) ?? []).map(mention).join(' ') || '–';
        return `${who} (${t('report.team', { team })}) ${n}`;
      })
      .join(' · ') || '–'
  );
}

export function perAgent(risk: AtRisk): string {
  return (
    countBy(risk.tickets, (r) => r.assignee)
      .map(([who, n]) => `${mention(who)} ${n}`)
      .join(' · ') || '–'
  );
}

const pctOnly = (r: Ratio) => (r.of === 0 ? '–' : `${Math.round((100 * r.n) / r.of)}%`);
const pctWithCount = (r: Ratio) => (r.of === 0 ? '–' : `${pctOnly(r)} (${r.n}/${r.of})`);

/** The ratio KPIs (src/domain/kpi.ts), in the digest's order, with their labels. */
export const RATIO_KPIS: readonly { key: keyof KpiFigures; label: MessageKey; short: MessageKey }[] = [
  { key: 'closedWithinSla', label: 'digest.kpiSla', short: 'report.kpiShort.sla' },
  { key: 'informedOnTime', label: 'digest.kpiInformed', short: 'report.kpiShort.informed' },
  { key: 'closedPerStandard', label: 'digest.kpiStandard', short: 'report.kpiShort.standard' },
  { key: 'firstContactResolution', label: 'digest.kpiFcr', short: 'report.kpiShort.fcr' },
  { key: 'repeatContacts', label: 'digest.kpiRepeat', short: 'report.kpiShort.repeat' },
];

/** `71% (5/7) · sebelumnya 60%`: this shift, then the previous one. */
export function kpiFields(t: T, now: KpiFigures, previous: KpiFigures, all: boolean): ReplyField[] {
  return RATIO_KPIS.slice(0, all ? RATIO_KPIS.length : 4).map(({ key, label }) => ({
    label: t(label),
    value: `${pctWithCount(now[key] as Ratio)} · ${t('report.previous', { value: pctOnly(previous[key] as Ratio) })}`,
  }));
}

/** The at-risk section: the first lines on the short view, grouped per team and agent on the full one. */
export function riskFields(t: T, risk: AtRisk, all: boolean): ReplyField[] {
  const n = risk.tickets.length;
  const header = t('report.atRisk', { n });
  if (n === 0) return [{ label: header, value: t('report.noneAtRisk') }];
  const fields: ReplyField[] = [];
  if (!all) {
    const lines = risk.tickets.slice(0, SHORT_LIST).map((r) => riskLine(t, r));
    if (n > SHORT_LIST) lines.push(t('report.more', { n: n - SHORT_LIST }));
    fields.push({ label: header, value: lines.join('\n') });
  } else {
    // Per team (its leaders answer for it), then per agent within the team, most urgent first.
    for (const [team] of countBy(risk.tickets, (r) => r.team)) {
      const inTeam = risk.tickets.filter((r) => r.team === team);
      const who = (risk.leaders.get(team) ?? []).map(mention).join(' ');
      const lines: string[] = [];
      for (const [agent] of countBy(inTeam, (r) => r.assignee)) {
        lines.push(`${mention(agent)}:`);
        for (const r of inTeam.filter((x) => x.assignee === agent)) lines.push(`  ${riskLine(t, r, false)}`);
      }
      fields.push({ label: `${header} · ${t('report.team', { team })} ${who}`.trim(), value: lines.join('\n') });
    }
  }
  fields.push({ label: t('report.perTl'), value: perLeader(t, risk) });
  fields.push({ label: t('report.perAgent'), value: perAgent(risk) });
  return fields;
}

/** The digest's own count fields (open, flow, breaches, …) without its KPI lines, which we show with the previous shift. */
export function countFields(digestFields: readonly ReplyField[], t: T): ReplyField[] {
  const kpiLabels = new Set([
    ...RATIO_KPIS.map((k) => t(k.label)),
    t('digest.satisfaction'),
    t('digest.satisfactionPerTeam'),
    t('digest.satisfactionPerAgent'),
  ]);
  return digestFields.filter((f) => !kpiLabels.has(f.label));
}

export type { DigestFigures };
