import { afterEach, describe, expect, it } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import { startWebhookServer, type WebhookServer, type WebhookServerOptions } from './server.js';
import { FakeWebhookTarget } from './testing/fake-webhook-target.js';
import { fixtureBody, hmacSha256Hex, providerHeaders } from './testing/webhook-requests.js';
import { WebhookServerError } from './errors.js';
import type { WebhookSecrets } from './types.js';

const secret = 'test-server-secret';
const repoURL = 'https://git.example.com/platform/deploy-config.git';
const MiB = 1024 * 1024;

let running: WebhookServer[] = [];

afterEach(async () => {
  await Promise.all(running.map((s) => s.close()));
  running = [];
});

async function start(overrides: Partial<WebhookServerOptions> = {}): Promise<{ url: string; target: FakeWebhookTarget }> {
  const target = new FakeWebhookTarget({ 'capstan/guestbook': 'git@git.example.com:platform/deploy-config' });
  const server = await startWebhookServer({ address: '127.0.0.1:0', secrets: () => ({ generic: secret }), target, ...overrides });
  running.push(server);
  return { url: `http://127.0.0.1:${server.port}`, target };
}

function signedPost(body: Buffer): RequestInit {
  return { method: 'POST', body, headers: providerHeaders('generic', body, { secret }) };
}

/** A generic push padded with an ignored field to `size` bytes. */
function paddedPush(size: number): Buffer {
  const head = `{"repoURL":"${repoURL}","revision":"main","padding":"`;
  const tail = '"}';
  return Buffer.from(head + 'x'.repeat(size - head.length - tail.length) + tail);
}

describe('startWebhookServer', () => {
  it('queues the apps of a signed push over HTTP', async () => {
    const { url, target } = await start();
    const response = await fetch(`${url}/api/webhook`, signedPost(fixtureBody('generic-push.json')));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ queued: ['capstan/guestbook'] });
    expect(target.refreshes).toHaveLength(1);
  });

  it('refuses a wrong signature with 401', async () => {
    const { url, target } = await start();
    const body = fixtureBody('generic-push.json');
    const response = await fetch(`${url}/api/webhook`, {
      method: 'POST',
      body,
      headers: providerHeaders('generic', body, { secret: 'wrong' }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: 'invalid signature' });
    expect(target.refreshes).toEqual([]);
  });

  it('answers 404 to other paths and 405 to other methods', async () => {
    const { url, target } = await start();
    const body = fixtureBody('generic-push.json');
    expect((await fetch(`${url}/api/webhooks`, signedPost(body))).status).toBe(404);
    expect((await fetch(`${url}/`, { method: 'GET' })).status).toBe(404);
    const get = await fetch(`${url}/api/webhook`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await fetch(`${url}/api/webhook`, { ...signedPost(body), method: 'PUT' })).status).toBe(405);
    expect((await fetch(`${url}/api/webhook?source=ci`, signedPost(body))).status).toBe(200);
    expect(target.refreshes).toHaveLength(1);
  });

  it('refuses a body of 1 MiB + 1 byte with 413 and refreshes nothing', async () => {
    const { url, target } = await start();
    const response = await fetch(`${url}/api/webhook`, signedPost(paddedPush(MiB + 1)));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ message: `body larger than ${MiB} bytes` });
    expect(target.refreshes).toEqual([]);
  });

  it('stops reading a streamed body without a length once it passes the limit', async () => {
    const { url, target } = await start();
    const server = running[0];
    const closedSockets: Promise<number>[] = [];
    server?.server.on('connection', (socket: Socket) => {
      const closed = new Promise<number>((resolve) => {
        socket.once('close', () => {
          resolve(socket.bytesRead);
        });
      });
      closedSockets.push(closed);
    });
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${url}/api/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' } });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      // 8 MiB in 64 KiB chunks, sent as fast as the socket takes them; no Content-Length, so chunked.
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let left = 128;
      const write = (): void => {
        while (left > 0) {
          left -= 1;
          if (!req.write(chunk)) {
            req.once('drain', write);
            return;
          }
        }
        req.end();
      };
      write();
    });
    expect(status).toBe(413);
    expect(target.refreshes).toEqual([]);
    // The server dropped the connection after about 1 MiB of the 8 MiB sent.
    const bytesRead = await Promise.all(closedSockets);
    expect(bytesRead).toHaveLength(1);
    expect(bytesRead[0]).toBeLessThan(2 * MiB);
  });

  it('processes a valid 900 KiB body', async () => {
    const { url, target } = await start();
    const response = await fetch(`${url}/api/webhook`, signedPost(paddedPush(900 * 1024)));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ queued: ['capstan/guestbook'] });
    expect(target.refreshes).toHaveLength(1);
  });

  it('takes a body of exactly maxBodyBytes and refuses one byte more', async () => {
    const { url } = await start({ maxBodyBytes: 200 });
    expect((await fetch(`${url}/api/webhook`, signedPost(paddedPush(200)))).status).toBe(200);
    expect((await fetch(`${url}/api/webhook`, signedPost(paddedPush(201)))).status).toBe(413);
  });

  it('answers 400 to invalid JSON', async () => {
    const { url, target } = await start({ secrets: () => ({}), allowUnsigned: true });
    const response = await fetch(`${url}/api/webhook`, {
      method: 'POST',
      body: '{"repoURL": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: 'invalid JSON body' });
    expect(target.refreshes).toEqual([]);
  });

  it('reads the secrets on every request, so a rotated secret applies at once', async () => {
    let current: WebhookSecrets = { generic: secret };
    const { url } = await start({ secrets: () => Promise.resolve(current) });
    const body = fixtureBody('generic-push.json');
    expect((await fetch(`${url}/api/webhook`, signedPost(body))).status).toBe(200);
    current = { generic: 'rotated' };
    expect((await fetch(`${url}/api/webhook`, signedPost(body))).status).toBe(401);
    const resigned = {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-capstan-signature': `sha256=${hmacSha256Hex(body, 'rotated')}` },
    };
    expect((await fetch(`${url}/api/webhook`, resigned)).status).toBe(200);
  });

  it('refuses an unsigned push with 401 when no secret is set, and takes it marked unverified when allowed', async () => {
    const body = fixtureBody('generic-push.json');
    const unsigned = { method: 'POST', body, headers: providerHeaders('generic', body) };
    const closed = await start({ secrets: () => ({}) });
    const refused = await fetch(`${closed.url}/api/webhook`, unsigned);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ message: 'no generic secret is configured' });
    expect(closed.target.refreshes).toEqual([]);
    const open = await start({ secrets: () => ({}), allowUnsigned: true });
    expect((await fetch(`${open.url}/api/webhook`, unsigned)).status).toBe(200);
    expect(open.target.refreshes.map((r) => r.reason)).toEqual(['webhook: unverified generic push']);
  });

  it('ignores a replayed delivery over HTTP', async () => {
    const { url, target } = await start();
    const body = fixtureBody('generic-push.json');
    const request = { method: 'POST', body, headers: providerHeaders('generic', body, { secret, delivery: 'ci-run-7' }) };
    expect(await (await fetch(`${url}/api/webhook`, request)).json()).toEqual({ queued: ['capstan/guestbook'] });
    expect(await (await fetch(`${url}/api/webhook`, request)).json()).toEqual({ queued: [], message: 'duplicate delivery' });
    expect(target.refreshes).toHaveLength(1);
  });

  it('refuses to start with limits that cannot hold', async () => {
    const options = { address: '127.0.0.1:0', secrets: () => ({}), target: new FakeWebhookTarget({}) };
    await expect(startWebhookServer({ ...options, bodyTimeoutMs: 0 })).rejects.toMatchObject({ code: 'InvalidOptions' });
    await expect(startWebhookServer({ ...options, maxBodyBytes: 2 * MiB, maxBufferedBytes: MiB })).rejects.toMatchObject({ code: 'InvalidOptions' });
  });

  it('refuses every request with 503 while the secrets cannot be read', async () => {
    const { url, target } = await start({ secrets: () => Promise.reject(new Error('secret capstan-webhook: forbidden')) });
    const response = await fetch(`${url}/api/webhook`, signedPost(fixtureBody('generic-push.json')));
    expect(response.status).toBe(503);
    expect(target.refreshes).toEqual([]);
  });

  it('answers 500 when the target fails, and keeps serving', async () => {
    const { url, target } = await start();
    target.refresh = () => {
      throw new Error('queue closed');
    };
    expect((await fetch(`${url}/api/webhook`, signedPost(fixtureBody('generic-push.json')))).status).toBe(500);
    expect((await fetch(`${url}/api/webhook`)).status).toBe(405);
  });

  it('closes cleanly, also with a keep-alive connection open, and may be closed twice', async () => {
    const target = new FakeWebhookTarget({});
    const server = await startWebhookServer({ address: '127.0.0.1:0', secrets: () => ({}), target });
    const response = await fetch(`http://127.0.0.1:${server.port}/api/webhook`);
    await response.text();
    await server.close();
    await server.close();
    expect(server.server.listening).toBe(false);
    await expect(fetch(`http://127.0.0.1:${server.port}/api/webhook`)).rejects.toThrow();
  });

  it('fails to start with a named error on an invalid or busy address', async () => {
    const options = { secrets: () => ({}), target: new FakeWebhookTarget({}) };
    await expect(startWebhookServer({ ...options, address: 'nonsense' })).rejects.toMatchObject({
      name: 'WebhookServerError',
      code: 'InvalidAddress',
    });
    const first = await startWebhookServer({ ...options, address: '127.0.0.1:0' });
    running.push(first);
    const busy = startWebhookServer({ ...options, address: `127.0.0.1:${first.port}` });
    await expect(busy).rejects.toBeInstanceOf(WebhookServerError);
    await expect(busy).rejects.toMatchObject({ code: 'ListenFailed' });
  });
});
