import type { Core } from '../app.js';
import { enqueue } from '../outbox/enqueue.js';
import { actionableDigest } from '../reports/digest.js';
import { pruneReports } from '../reports/files.js';
import { currentShift } from '../services/digest.js';
import { supervisors } from '../services/roster.js';
import type { Job, JobResult } from './types.js';

/**
 * POSKO_DIGEST_CHANNEL is "<platform>:<channel>" (slack:C0123, discord:1234, console:ops); a bare
 * channel id belongs to the one chat platform configured (Slack first, then Discord, else console).
 */
export function digestChannel(core: Pick<Core, 'config'>): { platform: string; channel: string } | null {
  const raw = core.config.POSKO_DIGEST_CHANNEL;
  if (!raw) return null;
  const m = /^(slack|discord|console):(.+)$/.exec(raw);
  if (m) return { platform: m[1] as string, channel: m[2] as string };
  const platform = core.config.SLACK_BOT_TOKEN ? 'slack' : core.config.DISCORD_TOKEN ? 'discord' : 'console';
  return { platform, channel: raw };
}

/**
 * The shift digest to each supervisor by direct message and to the digest channel when set: the
 * tickets at risk with links to their threads, the KPIs beside the previous shift's, the chart.
 */
export async function digest(core: Core, now: Date): Promise<JobResult> {
  const period = currentShift(core, now);
  const reply = await actionableDigest(core, now, { period });
  // Old charts and exports go once a shift: their uploads are long done.
  await pruneReports(core, now).catch((err: Error) => core.log.warn({ err: err.message }, 'report files not pruned'));
  const spvs = await supervisors(core);
  const channel = digestChannel(core);
  // Same minute, same digest: a manual rerun right after a scheduled one queues nothing new.
  const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString();
  await core.db.transaction(async (tx) => {
    for (const userKey of spvs) {
      await enqueue(tx, {
        dedupeKey: `digest:${minute}:${userKey}`,
        platform: userKey.slice(0, userKey.indexOf(':')),
        channel: `dm:${userKey}`,
        message: { kind: 'post', reply, dmTo: userKey },
        at: now,
      });
    }
    if (channel)
      await enqueue(tx, {
        dedupeKey: `digest:${minute}:${channel.platform}:${channel.channel}`,
        platform: channel.platform,
        channel: channel.channel,
        message: { kind: 'post', reply },
        at: now,
      });
  });
  const queued = spvs.length + (channel ? 1 : 0);
  return { detail: `digest to ${spvs.length} supervisors${channel ? ' and the digest channel' : ''}`, queued };
}

export const digestJob: Job = {
  name: 'digest',
  cron: (config) => config.DIGEST_CRON,
  run: digest,
};
