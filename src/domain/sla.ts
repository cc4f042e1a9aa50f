import { isQueue, isServiceLine, QUEUES, type Queue, SERVICE_LINES, type ServiceLine } from './service-lines.js';

/**
 * SLA for handling a complaint (A7), in hours, per service line and queue. Violet (priority
 * customers) and the enterprise queues run tighter clocks than Reguler. Documented in the README;
 * any cell can be overridden with POSKO_SLA_HOURS.
 */
export const DEFAULT_SLA_HOURS: Record<ServiceLine, Record<Queue, number>> = {
  indihome: { reguler: 24, violet: 12, global: 12, imes: 12 },
  telepon: { reguler: 24, violet: 12, global: 12, imes: 12 },
  internet: { reguler: 8, violet: 6, global: 4, imes: 4 },
  global: { reguler: 6, violet: 4, global: 4, imes: 4 },
  imes: { reguler: 6, violet: 4, global: 4, imes: 4 },
};

export type SlaTable = Record<ServiceLine, Record<Queue, number>>;

/** "indihome=12,global/violet=4": a service alone sets every queue; service/queue sets one cell. */
export function parseSlaOverrides(spec: string | undefined, base: SlaTable = DEFAULT_SLA_HOURS): SlaTable {
  const table = structuredClone(base);
  if (!spec) return table;
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([a-z]+)(?:\/([a-z]+))?=(\d+(?:\.\d+)?)$/.exec(part.toLowerCase());
    const service = m?.[1] ?? '';
    const queue = m?.[2];
    const hours = Number(m?.[3]);
    if (!m || !isServiceLine(service) || (queue !== undefined && !isQueue(queue)) || !(hours > 0))
      throw new Error(
        `POSKO_SLA_HOURS: "${part}" is not <service>[/<queue>]=<hours> with service ${SERVICE_LINES.join('|')} and queue ${QUEUES.join('|')}`,
      );
    for (const q of queue ? [queue as Queue] : QUEUES) table[service][q] = hours;
  }
  return table;
}

export function slaDueAt(table: SlaTable, service: ServiceLine, queue: Queue, openedAt: Date): Date {
  return new Date(openedAt.getTime() + table[service][queue] * 3_600_000);
}

/**
 * The due time as it stands at `now`: a paused clock pushes the due time on by the pause so far
 * (the stored due time already includes earlier, finished pauses).
 */
export function effectiveDueAt(slaDueAt: Date, pausedSince: Date | null, now: Date): Date {
  if (!pausedSince) return slaDueAt;
  return new Date(slaDueAt.getTime() + Math.max(0, now.getTime() - pausedSince.getTime()));
}
