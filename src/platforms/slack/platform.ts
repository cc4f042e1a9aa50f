import type { PlatformModule } from '../types.js';

/**
 * Slack for `npm start`: on when SLACK_BOT_TOKEN is set; Socket Mode when SLACK_APP_TOKEN is too.
 * Bolt is loaded only then, so the console and Discord alone do not carry it.
 */
export const slackPlatform: PlatformModule = {
  name: 'slack',
  enabled: (config) => Boolean(config.SLACK_BOT_TOKEN),
  async start(core, http) {
    const { config } = core;
    const { createSlackApp } = await import('./app.js');
    const slack = createSlackApp(core, {
      botToken: config.SLACK_BOT_TOKEN ?? '',
      signingSecret: config.SLACK_SIGNING_SECRET,
      appToken: config.SLACK_APP_TOKEN,
      apiUrl: config.SLACK_API_URL,
      http,
    });
    const { port } = await slack.start();
    core.log.info(
      { platform: 'slack', mode: slack.mode, port },
      slack.mode === 'http' ? 'slack: listening at POST /slack/events' : 'slack: connected over Socket Mode',
    );
    return {
      deliverer: slack.deliverer,
      async stop() {
        await slack.stop();
        await slack.idle();
      },
    };
  },
};
