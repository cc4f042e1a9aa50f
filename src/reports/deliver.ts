/** Files for the person who asked: a direct message through the outbox, uploaded by their platform's adapter. */
import { randomUUID } from 'node:crypto';
import type { Core } from '../app.js';
import type { Actor } from '../domain/roles.js';
import { enqueue } from '../outbox/enqueue.js';
import type { ReplyFile } from '../reply.js';

export async function sendFilesToCaller(core: Core, actor: Actor, text: string, files: ReplyFile[]): Promise<void> {
  const userKey = actor.userKey;
  const platform = userKey.slice(0, userKey.indexOf(':'));
  const now = core.clock();
  await core.db.transaction((tx) =>
    enqueue(tx, {
      // Each request is its own file; a redelivered command never gets here (claimed up front).
      dedupeKey: `report:${randomUUID()}`,
      platform,
      channel: `dm:${userKey}`,
      message: { kind: 'post', reply: { audience: 'channel', ticket: null, error: null, text, files }, dmTo: userKey },
      at: now,
    }),
  );
}
