/** Answers on response_url (src/platforms/slack/response-url.ts), against a local HTTP server. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postToResponseUrl, ResponseUrlError, respondVia } from '../../src/platforms/slack/response-url.js';

interface Received {
  method: string;
  path: string;
  contentType: string;
  body: unknown;
}

const received: Received[] = [];
let base = '';
let server: http.Server;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString();
      received.push({
        method: req.method ?? '',
        path: req.url ?? '',
        contentType: req.headers['content-type'] ?? '',
        body: JSON.parse(text),
      });
      if (req.url?.startsWith('/expired')) res.writeHead(404).end('expired_url');
      else if (req.url?.startsWith('/slow')) setTimeout(() => res.writeHead(200).end('ok'), 50);
      else res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('response_url answers', () => {
  it('POST the message as JSON to the URL Slack gave, path and query kept', async () => {
    const message = { response_type: 'ephemeral' as const, replace_original: false, text: 'GGN-000001 · dibuka ✓' };
    await postToResponseUrl(`${base}/commands/T1/123/abc?x=1`, message);
    expect(received.at(-1)).toEqual({
      method: 'POST',
      path: '/commands/T1/123/abc?x=1',
      contentType: 'application/json',
      body: message,
    });
  });

  it('an answer Slack refuses (an expired URL) rejects with its status, so the caller logs it', async () => {
    const refused = postToResponseUrl(`${base}/expired/1`, { text: 'x' });
    await expect(refused).rejects.toBeInstanceOf(ResponseUrlError);
    await expect(refused).rejects.toMatchObject({ status: 404 });
  });

  it('many answers at once all arrive, each once', async () => {
    const before = received.length;
    await Promise.all(Array.from({ length: 40 }, (_, i) => postToResponseUrl(`${base}/slow/${i}`, { text: `n${i}` })));
    const texts = received.slice(before).map((r) => (r.body as { text: string }).text);
    expect(texts.sort()).toEqual(Array.from({ length: 40 }, (_, i) => `n${i}`).sort());
  });

  it('an answer written on a kept-alive connection the server has just closed goes again on a new one', async () => {
    // Each connection serves one answer, then is dropped when the next request arrives on it:
    // what a server's idle timeout does to a request sent at that moment.
    const answered: string[] = [];
    const perSocket = new WeakMap<object, number>();
    const closing = http.createServer((req, res) => {
      const n = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, n);
      if (n > 1) {
        req.socket.destroy();
        return;
      }
      req.resume();
      req.on('end', () => {
        answered.push(req.url ?? '');
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => closing.listen(0, '127.0.0.1', resolve));
    const at = `http://127.0.0.1:${(closing.address() as AddressInfo).port}`;
    try {
      await postToResponseUrl(`${at}/first`, { text: 'a' });
      await postToResponseUrl(`${at}/second`, { text: 'b' });
      await postToResponseUrl(`${at}/third`, { text: 'c' });
      expect(answered).toEqual(['/first', '/second', '/third']);
    } finally {
      closing.closeAllConnections();
      await new Promise<void>((resolve) => closing.close(() => resolve()));
    }
  });

  it('a scheme other than http(s) is refused without a request; no URL, no way to answer', async () => {
    const before = received.length;
    await expect(postToResponseUrl('file:///etc/passwd', { text: 'x' })).rejects.toThrow(/scheme/);
    expect(received.length).toBe(before);
    expect(respondVia(undefined)).toBeUndefined();
    expect(respondVia('')).toBeUndefined();
  });
});
