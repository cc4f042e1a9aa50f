import type { webApi } from '@slack/bolt';

const TTL_MS = 60 * 60 * 1000;

/**
 * Display names of Slack users, so a channel message can name someone without pinging them
 * (Slack has no silent native mention). Looked up with users.info, remembered for an hour; a
 * failed lookup just leaves the name out (the member ID shows instead) and never blocks a send.
 */
export class SlackNames {
  private readonly cache = new Map<string, { name: string; at: number }>();

  constructor(private readonly client: webApi.WebClient) {}

  async resolve(userKeys: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    await Promise.all(
      userKeys.map(async (key) => {
        const name = await this.lookup(key);
        if (name) out.set(key, name);
      }),
    );
    return out;
  }

  private async lookup(userKey: string): Promise<string | undefined> {
    const hit = this.cache.get(userKey);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.name;
    try {
      const res = await this.client.users.info({ user: userKey.replace(/^slack:/, '') });
      const profile = res.user?.profile;
      const name = profile?.display_name || profile?.real_name || res.user?.name;
      if (name) this.cache.set(userKey, { name, at: Date.now() });
      return name;
    } catch {
      return undefined;
    }
  }
}
