import type { webApi } from '@slack/bolt';

const TTL_MS = 60 * 60 * 1000;
/** A slow lookup must not hold up the answer: past this, the reply uses POSKO_LOCALE. */
const LOOKUP_BUDGET_MS = 800;

/**
 * Each Slack user's language (users.info with include_locale), remembered per user for an hour,
 * so a private answer follows the person; a failed or slow lookup gives none, never an error.
 */
export class SlackLocales {
  private readonly cache = new Map<string, { locale: string | undefined; at: number }>();

  constructor(private readonly client: webApi.WebClient) {}

  async of(userId: string): Promise<string | undefined> {
    const hit = this.cache.get(userId);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.locale;
    const lookup = this.client.users
      .info({ user: userId, include_locale: true })
      .then((res) => {
        const locale = (res.user as { locale?: string } | undefined)?.locale;
        this.cache.set(userId, { locale, at: Date.now() });
        return locale;
      })
      .catch(() => undefined);
    const late = new Promise<undefined>((resolve) =>
      (setTimeout(resolve, LOOKUP_BUDGET_MS) as unknown as NodeJS.Timeout).unref(),
    );
    return Promise.race([lookup, late]);
  }
}
