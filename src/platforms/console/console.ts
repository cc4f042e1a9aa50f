import { createInterface } from 'node:readline';
import type { Core } from '../../app.js';
import { runCommandLine, unexpectedFailure } from '../../command/dispatch.js';
import type { MessageRef } from '../../db/schema.js';
import { findJob, jobNames } from '../../jobs/registry.js';
import { runJobNow } from '../../jobs/scheduler.js';
import type { Deliverer } from '../../outbox/types.js';
import { deliverDue } from '../../outbox/worker.js';
import type { Reply } from '../../reply.js';
import { seedDemoRoster } from '../../services/roster.js';
import { renderJson, renderPlain } from './render.js';

export interface ConsoleOptions {
  json: boolean;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  user?: string;
}

/**
 * The terminal platform: lines are /tiket commands from the current user; `as <user>` switches,
 * `job <name>` runs a job now. Channel and thread messages come through the outbox like on
 * Slack, printed right after the command that caused them.
 */
export function createConsole(core: Core, opts: ConsoleOptions) {
  let currentLine: number | null = null;
  let counter = 0;
  const render = (reply: Reply) => (opts.json ? renderJson(reply, currentLine) : renderPlain(reply, core.t));
  const print = (reply: Reply) => {
    opts.output.write(`${render(reply)}\n`);
  };
  // What each posted message last looked like: an edit that changes nothing is not printed again.
  const shown = new Map<string, string>();
  const look = (reply: Reply) => renderPlain({ ...reply, checklist: undefined, history: undefined }, core.t);
  const deliverer: Deliverer = {
    platform: 'console',
    async post(channel, reply, thread): Promise<MessageRef> {
      print(reply);
      const messageId = String(++counter);
      shown.set(messageId, look(reply));
      return { platform: 'console', channel, messageId, threadId: thread?.messageId };
    },
    async edit(ref, reply) {
      // The terminal cannot edit what it printed; a changed card is shown again, marked as such.
      const now = look(reply);
      if (shown.get(ref.messageId) === now) return;
      shown.set(ref.messageId, now);
      print({ ...reply, text: `${core.t('console.updated')} ${reply.text}`, checklist: undefined, history: undefined });
    },
    async dm(userKey, reply): Promise<MessageRef> {
      print({ ...reply, text: `${core.t('console.dm', { user: userKey })} ${reply.text}` });
      return { platform: 'console', channel: `dm:${userKey}`, messageId: String(++counter) };
    },
  };

  // One thing at a time: a command, its messages, or a background delivery — never interleaved.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => {});
    return next;
  };
  const drain = async () => {
    while ((await deliverDue(core, deliverer)) > 0) {}
  };
  // After a command has answered, a delivery that fails (database down) is left to the
  // background drain: the answer stands and the console keeps reading.
  const drainAfter = () =>
    drain().catch((err) =>
      core.log.warn({ err: (err as Error).message }, 'delivery failed; retried in the background'),
    );

  async function handle(raw: string, lineNo: number): Promise<boolean> {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return true;
    if (/^(keluar|exit|quit)$/i.test(line)) return false;
    currentLine = lineNo;
    try {
      const as = /^as\s+@?([A-Za-z0-9_.-]+)$/i.exec(line);
      if (as?.[1]) {
        user = as[1];
        print({ audience: 'ephemeral', ticket: null, error: null, text: core.t('console.as', { user }) });
        return true;
      }
      const job = /^job\s+(\S+)$/i.exec(line);
      if (job?.[1]) {
        const found = findJob(job[1]);
        if (!found) {
          print({
            audience: 'ephemeral',
            ticket: null,
            error: 'invalid_input',
            text: core.t('console.noJob', { name: job[1], jobs: jobNames().join(', ') || '-' }),
          });
          return true;
        }
        let result: Awaited<ReturnType<typeof runJobNow>>;
        try {
          result = await runJobNow(core, found.name);
        } catch (err) {
          print(unexpectedFailure(core, err, { job: found.name }));
          return true;
        }
        print({
          audience: 'ephemeral',
          ticket: null,
          error: null,
          text: core.t('console.jobDone', { name: found.name, detail: result.detail }),
        });
        currentLine = null;
        await drainAfter();
        return true;
      }
      const outcome = await runCommandLine(core, { platform: 'console', userId: user, channel: 'console' }, line);
      for (const reply of outcome.replies) print(reply);
      await drainAfter();
      return true;
    } finally {
      currentLine = null;
    }
  }

  let user = opts.user ?? 'ani';

  return {
    deliverer,
    /** Background delivery (jobs' messages) between commands. */
    drainInBackground: () => serial(drain),
    async run(): Promise<void> {
      if (await seedDemoRoster(core))
        print({ audience: 'ephemeral', ticket: null, error: null, text: core.t('console.demo') });
      if (!opts.json) opts.output.write(`${core.t('console.welcome')}\n`);
      const interactive = Boolean((opts.input as { isTTY?: boolean }).isTTY) && !opts.json;
      // In a terminal: line editing, and ↑/↓ through this session's earlier lines.
      const rl = interactive
        ? createInterface({ input: opts.input, output: opts.output, terminal: true, historySize: 500 })
        : createInterface({ input: opts.input, terminal: false });
      const prompt = () => {
        if (!interactive) return;
        rl.setPrompt(`${user} › `);
        rl.prompt();
      };
      prompt();
      let lineNo = 0;
      for await (const raw of rl) {
        lineNo++;
        const go = await serial(() => handle(raw, lineNo));
        if (!go) break;
        prompt();
      }
      rl.close();
      await serial(drain);
    },
  };
}
