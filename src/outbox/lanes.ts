import type { HomeRefresh, OutboxMessage } from './types.js';

/**
 * Lanes: a channel's messages queue in two lanes, each paced and ordered on its own. Posts (the
 * card, thread notes, request messages) keep one lane in queue order; edits of messages already
 * posted (card and request edits) take the second, because the platform limits them apart
 * (Slack: chat.update beside chat.postMessage's one a second), so a burst of thread notes never
 * holds a card edit back. The lane is what the `channel` column holds; an edit's target names
 * where it lands, so the column is only its lane. An edit whose message is not posted yet waits
 * for it (send.ts).
 */
const EDIT_LANE = '~edits';

export function laneOf(channel: string, message: OutboxMessage | HomeRefresh): string {
  return message.kind === 'edit' ? `${channel}${EDIT_LANE}` : channel;
}

/** The channel a lane belongs to, for people (notices, `posko outbox dead`). */
export function channelOfLane(lane: string): string {
  return lane.endsWith(EDIT_LANE) ? lane.slice(0, -EDIT_LANE.length) : lane;
}
