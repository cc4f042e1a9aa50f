import type { webApi } from '@slack/bolt';
import type { Core } from '../../app.js';
import type { Outcome } from '../../command/dispatch.js';
import type { FormSpec, Reply } from '../../reply.js';
import { renderReply, type SlackMessage } from './blocks.js';
import { formModal } from './modal.js';
import type { Respond } from './response-url.js';

/** Who asked, and the ways back to them that Slack gave with the request. */
export interface ReplyTarget {
  client: webApi.WebClient;
  /** response_url of a slash command or click; absent for modal submissions. */
  respond?: Respond;
  triggerId: string;
  channel: string;
  userId: string;
  /** Answer inside this thread (a mention made in a thread). */
  threadTs?: string;
  /** The request came from a private message with a button: the answer replaces it. */
  replaceOriginal?: boolean;
}

/**
 * Answers to the person who ran a command: ephemeral messages (via response_url, or
 * chat.postEphemeral after a modal) and forms as modals. Channel and thread messages about
 * tickets do not pass here; the core queues them in the outbox.
 */
export class SlackReplies {
  constructor(private readonly core: Core) {}

  async send(replies: Reply[], target: ReplyTarget): Promise<void> {
    for (const reply of replies) {
      try {
        if (reply.form) await this.openFormOrSay(reply, reply.form, target);
        else if (reply.audience === 'ephemeral') await this.ephemeral(renderReply(reply), target);
        else await this.inChannel(renderReply(reply), target);
      } catch (err) {
        // Not the command line: it can hold a customer's phone number or ID.
        this.core.log.error({ err: (err as Error).message, ticket: reply.ticket }, 'slack reply failed');
      }
    }
  }

  /** A modal needs a fresh trigger (3 s); when it cannot open, the reply's own text still arrives. */
  private async openFormOrSay(reply: Reply, form: FormSpec, target: ReplyTarget): Promise<void> {
    try {
      await this.openForm(form, target);
    } catch (err) {
      this.core.log.warn({ err: (err as Error).message }, 'slack: could not open the form');
      await this.ephemeral(renderReply({ ...reply, form: undefined }), target);
    }
  }

  /** Open a form as a modal; `line` is the command the answers complete (a button's command). */
  async openForm(form: FormSpec, target: ReplyTarget, line?: string): Promise<void> {
    const t = this.core.t;
    const commandLine = line ?? [form.command, form.context ?? ''].join(' ').trim();
    await target.client.views.open({
      trigger_id: target.triggerId,
      view: formModal(
        form,
        { line: commandLine, channel: target.channel, ...(form.source ? { source: form.source } : {}) },
        {
          submit: t('slack.formSubmit'),
          close: t('slack.formClose'),
        },
      ) as never,
    });
  }

  /**
   * The modal errors for an invalid_input outcome: keyed by the field the message names (the
   * dispatcher's messages name the bad option, and a form field is named after its option).
   */
  fieldErrors(outcome: Outcome, fieldNames: string[]): Record<string, string> | undefined {
    const reply = outcome.replies[0];
    if (!reply || fieldNames.length === 0) return undefined;
    const explicit = reply.option;
    const named = fieldNames
      .map((name) => ({
        name,
        at: reply.text.search(new RegExp(`(^|[^\\p{L}\\p{N}_])${escapeRegExp(name)}([^\\p{L}\\p{N}_]|$)`, 'u')),
      }))
      .filter((f) => f.at >= 0)
      .sort((a, b) => a.at - b.at)[0]?.name;
    // An error about something outside the form still keeps the person (and what they typed) in it.
    const field = explicit && fieldNames.includes(explicit) ? explicit : (named ?? fieldNames[0] ?? '');
    // Modal errors are plain text: drop the mrkdwn code marks the catalogue uses around option names.
    return { [field]: reply.text.replace(/`/g, '').slice(0, 2000) };
  }

  private async ephemeral(msg: SlackMessage, target: ReplyTarget): Promise<void> {
    if (target.respond) return this.viaResponseUrl(target.respond, 'ephemeral', msg, target.replaceOriginal === true);
    const content = { text: msg.text, blocks: msg.blocks as never };
    try {
      await target.client.chat.postEphemeral({
        channel: target.channel,
        user: target.userId,
        thread_ts: target.threadTs,
        ...content,
      });
    } catch {
      // Not in that channel (or it is gone): the app's DM with the person still reaches them.
      await target.client.chat.postMessage({ channel: target.userId, ...content });
    }
  }

  private async inChannel(msg: SlackMessage, target: ReplyTarget): Promise<void> {
    if (target.respond) return this.viaResponseUrl(target.respond, 'in_channel', msg, false);
    await target.client.chat.postMessage({
      channel: target.channel,
      thread_ts: target.threadTs,
      text: msg.text,
      blocks: msg.blocks as never,
    });
  }

  private async viaResponseUrl(
    respond: Respond,
    type: 'ephemeral' | 'in_channel',
    msg: SlackMessage,
    replace: boolean,
  ): Promise<void> {
    // Unless told to replace, the message holding a clicked button must stay as it is.
    await respond({ response_type: type, replace_original: replace, text: msg.text, blocks: msg.blocks as never });
  }
}

/** A submitted block_id is the payload's, not ours: read it as text, never as a pattern. */
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
