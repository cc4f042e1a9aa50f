import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/** What the app sent back for one envelope: its ack payload. */
export type AckPayload = Record<string, unknown>;

/**
 * A local stand-in for Slack's Socket Mode endpoint (wss://wss-primary.slack.com/link/…).
 * Point the fake Web API's `socketModeUrl` at `url`; the app then opens a connection here, gets a
 * `hello`, and receives envelopes that it must acknowledge by `envelope_id`.
 */
export class FakeSocketModeServer {
  private wss: WebSocketServer | undefined;
  private socket: WebSocket | undefined;
  private envelopeCounter = 0;
  private readonly acks = new Map<string, (payload: AckPayload) => void>();
  private connectedWaiters: (() => void)[] = [];
  url = '';

  async start(): Promise<this> {
    this.wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(this.wss, 'listening');
    const { port } = this.wss.address() as AddressInfo;
    this.url = `ws://127.0.0.1:${port}/link/?ticket=fake`;
    this.wss.on('connection', (ws) => {
      this.socket = ws;
      ws.on('message', (data) => this.onMessage(String(data)));
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'APOSKO' } }));
      for (const w of this.connectedWaiters.splice(0)) w();
    });
    return this;
  }

  /** Resolves when an app has connected (immediately if one is). */
  connected(): Promise<void> {
    if (this.socket) return Promise.resolve();
    return new Promise((resolve) => this.connectedWaiters.push(resolve));
  }

  /**
   * Send one envelope (e.g. type `slash_commands` or `interactive`) and resolve with the app's ack.
   * `retryAttempt` mimics a redelivery.
   */
  deliver(type: string, payload: Record<string, unknown>, retryAttempt = 0): Promise<AckPayload> {
    if (!this.socket) throw new Error('no Socket Mode client connected');
    this.envelopeCounter += 1;
    const envelopeId = `env-${this.envelopeCounter}`;
    const acked = new Promise<AckPayload>((resolve) => this.acks.set(envelopeId, resolve));
    this.socket.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== 'events_api',
        retry_attempt: retryAttempt,
        retry_reason: retryAttempt > 0 ? 'timeout' : '',
      }),
    );
    return acked;
  }

  async close(): Promise<void> {
    for (const client of this.wss?.clients ?? []) client.terminate();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    this.wss = undefined;
    this.socket = undefined;
  }

  private onMessage(text: string): void {
    let msg: { envelope_id?: string; payload?: AckPayload };
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    const resolve = msg.envelope_id ? this.acks.get(msg.envelope_id) : undefined;
    if (!resolve || !msg.envelope_id) return;
    this.acks.delete(msg.envelope_id);
    resolve(msg.payload ?? {});
  }
}
