/**
 * The framework's floor: a Bolt app over HTTP whose /tiket handler only acks. Runs in its own
 * process like posko, so both are measured the same way. PORT, SIGNING_SECRET and SLACK_API_URL
 * come from the environment; sends { ready: true } over IPC once listening.
 */
import { App } from '@slack/bolt';

const app = new App({
  token: 'xoxb-bare',
  signingSecret: process.env.SIGNING_SECRET ?? '',
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
});
app.command('/tiket', async ({ ack }) => {
  await ack();
});
await app.start(Number(process.env.PORT));
process.send?.({ ready: true });
process.on('SIGTERM', () => void app.stop().then(() => process.exit(0)));
process.on('disconnect', () => void app.stop().then(() => process.exit(0)));
