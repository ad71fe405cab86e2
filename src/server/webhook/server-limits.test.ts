// What an unauthenticated client can make the receiver hold: answers before the body, deadlines,
// bounded readers that give way, a connection cap, pipelining and Expect: 100-continue.
import { afterEach, describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { WebhookMetrics } from './metrics.js';
import { startWebhookServer, type WebhookServer, type WebhookServerOptions } from './server.js';
import { FakeWebhookTarget } from './testing/fake-webhook-target.js';
import { rawExchange, requestHead } from './testing/raw-http.js';
import { fixtureBody, providerHeaders } from './testing/webhook-requests.js';

const secret = 'limits-secret';
const MiB = 1024 * 1024;
let running: WebhookServer[] = [];

afterEach(async () => {
  for (const s of running) s.server.closeAllConnections();
  await Promise.all(running.map((s) => s.close()));
  running = [];
});

async function start(overrides: Partial<WebhookServerOptions> = {}): Promise<{ port: number; target: FakeWebhookTarget; server: WebhookServer }> {
  const target = new FakeWebhookTarget({ 'capstan/guestbook': 'git@git.example.com:platform/deploy-config' });
  const server = await startWebhookServer({ address: '127.0.0.1:0', secrets: () => ({ generic: secret, github: secret }), target, ...overrides });
  running.push(server);
  return { port: server.port, target, server };
}

const body = fixtureBody('generic-push.json');
/** A complete signed generic push, as raw HTTP. */
function signedRequest(extra: Record<string, string> = {}): string {
  return requestHead({ ...providerHeaders('generic', body, { secret }), 'content-length': String(body.length), ...extra }) + body.toString('latin1');
}

describe('webhook server limits', () => {
  it('answers a provider without a secret before reading the body, and closes the connection', async () => {
    const { port, target } = await start({ secrets: () => ({ github: secret }) });
    // Declares 1 MiB and sends none of it.
    const hook = rawExchange(port, requestHead({ 'content-type': 'application/json', 'x-gitlab-event': 'Push Hook', 'content-length': String(MiB) }));
    expect(await hook.responses(1)).toEqual([401]);
    await hook.closed;
    expect(target.lookups).toEqual([]);
  });

  it('answers an event that is not a push before reading the body', async () => {
    const { port } = await start();
    const hook = rawExchange(port, requestHead({ 'content-type': 'application/json', 'x-github-event': 'ping', 'content-length': '5000' }));
    expect(await hook.responses(1)).toEqual([200]);
    expect(hook.text()).toContain('ignored event ping');
    await hook.closed;
  });

  it('closes a connection whose body stalls, after the body timeout, with 408', async () => {
    const { port, target } = await start({ bodyTimeoutMs: 300 });
    const hook = rawExchange(port, requestHead({ ...providerHeaders('generic', body, { secret }), 'content-length': String(body.length) }) + body.toString('latin1', 0, 10));
    expect(await hook.responses(1)).toEqual([408]);
    expect(await hook.closed).toBeLessThan(300 + 5_000);
    expect(target.refreshes).toEqual([]);
  });

  it('lets a signed push through while every body reader is held by a stalled client; the idlest gives way', async () => {
    const { port, target, server } = await start({ maxBodyReaders: 2, bodyTimeoutMs: 60_000 });
    const stalled = [0, 1, 2].map(() => rawExchange(port, requestHead({ 'content-type': 'application/json', 'x-github-event': 'push', 'content-length': String(MiB) }) + 'x'.repeat(1000)));
    // Three stalled bodies for two places: the first gave way to the third.
    expect(await stalled[0]?.responses(1)).toEqual([503]);
    const push = rawExchange(port, signedRequest());
    expect(await push.responses(1)).toEqual([200]);
    expect(target.refreshes).toHaveLength(1);
    expect(await stalled[1]?.responses(1)).toEqual([503]);
    expect(stalled[2]?.statuses()).toEqual([]);
    server.server.closeAllConnections();
  });

  it('closes connections beyond maxConnections as soon as they are accepted', async () => {
    const registry = new Registry();
    const { port, server } = await start({ maxConnections: 2, metrics: new WebhookMetrics(registry) });
    const idle = [rawExchange(port), rawExchange(port)];
    await new Promise<void>((resolve) => {
      const check = (): void => {
        server.server.getConnections((_err, n) => {
          if (n === 2) resolve();
          else setImmediate(check);
        });
      };
      check();
    });
    const refused = rawExchange(port, signedRequest());
    await refused.closed;
    expect(refused.statuses()).toEqual([]);
    expect(await registry.getSingleMetricAsString('capstan_webhook_connections_dropped_total')).toMatch(/ 1$/m);
    for (const c of idle) c.socket.destroy();
  });

  it('closes a connection whose headers never end, within the headers timeout and the 1 s check', async () => {
    const { port } = await start({ headersTimeoutMs: 200 });
    const loris = rawExchange(port, 'POST /api/webhook HTTP/1.1\r\nHost: x\r\nX-GitHub-Event: push\r\n');
    expect(await loris.closed).toBeLessThan(200 + 1_000 + 5_000);
  });

  it('serves pipelined requests in order, and reads nothing after an answer given before the body', async () => {
    const { port, target } = await start();
    const both = rawExchange(port, signedRequest() + signedRequest());
    expect(await both.responses(2)).toEqual([200, 200]);
    // The second carries the same signed body under another delivery id: a replay.
    expect(both.text()).toContain('duplicate delivery');
    expect(target.refreshes).toHaveLength(1);
    both.socket.destroy();
    // The first is refused by its headers: the connection closes, and the signed one behind it is never read.
    const unsigned = requestHead({ 'content-type': 'application/json', 'x-gitlab-event': 'Push Hook', 'content-length': '2' }) + '{}';
    const refused = rawExchange(port, unsigned + signedRequest());
    await refused.closed;
    expect(refused.statuses()).toEqual([401]);
    expect(target.refreshes).toHaveLength(1);
  });

  it('closes the connection after a refused signature: 2000 pipelined forgeries cost one answer and one warning', async () => {
    let warnings = 0;
    const logger = { info: () => undefined, debug: () => undefined, warn: () => { warnings += 1; } };
    const { port, target } = await start({ logger });
    const forged = requestHead({ ...providerHeaders('generic', body, { secret: 'guess' }), 'content-length': String(body.length) }) + body.toString('latin1');
    const flood = rawExchange(port, forged.repeat(2000));
    await flood.closed;
    expect(flood.statuses()).toEqual([401]);
    // A second connection's forgery is logged at debug level only, within the minute.
    const again = rawExchange(port, forged);
    await again.closed;
    expect(warnings).toBe(1);
    expect(target.refreshes).toEqual([]);
  });

  it('reads a chunked signed body, and refuses a chunked one over the limit with 413', async () => {
    const { port, target } = await start({ maxBodyBytes: 4096 });
    const head = (): string => requestHead({ ...providerHeaders('generic', body, { secret }), 'transfer-encoding': 'chunked' });
    const chunks = [body.subarray(0, 10), body.subarray(10)].map((c) => `${c.length.toString(16)}\r\n${c.toString('latin1')}\r\n`).join('');
    const ok = rawExchange(port, `${head()}${chunks}0\r\n\r\n`);
    expect(await ok.responses(1)).toEqual([200]);
    expect(target.refreshes).toHaveLength(1);
    const big = rawExchange(port, `${head()}1000\r\n${'x'.repeat(4096)}\r\n1000\r\n${'x'.repeat(4096)}\r\n`);
    expect(await big.responses(1)).toEqual([413]);
    await big.closed;
  });

  it('sends 100 Continue only for a request its headers admit', async () => {
    const { port, target } = await start({ secrets: () => ({ generic: secret }) });
    const refused = rawExchange(port, requestHead({ 'content-type': 'application/json', 'x-github-event': 'push', expect: '100-continue', 'content-length': String(body.length) }));
    expect(await refused.responses(1)).toEqual([401]);
    expect(refused.text()).not.toContain('100 Continue');
    const admitted = rawExchange(port, requestHead({ ...providerHeaders('generic', body, { secret }), expect: '100-continue', 'content-length': String(body.length) }));
    await new Promise<void>((resolve) => {
      admitted.socket.on('data', () => {
        if (admitted.text().includes('100 Continue')) resolve();
      });
    });
    admitted.write(body);
    expect(await admitted.responses(1)).toEqual([100, 200]);
    expect(target.refreshes).toHaveLength(1);
    admitted.socket.destroy();
  });
});
