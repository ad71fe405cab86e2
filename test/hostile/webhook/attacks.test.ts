// The hostile webhook corpus (attacks.json): every request goes over real HTTP to the real
// receiver, and must get its status code and refresh nothing unless the table says so.
import { afterAll, describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { startWebhookServer, type WebhookServer } from '../../../src/server/webhook/server.js';
import { FakeWebhookTarget } from '../../../src/server/webhook/testing/fake-webhook-target.js';
import type { WebhookSecrets } from '../../../src/server/webhook/types.js';

interface BodySpec {
  readonly json?: unknown;
  readonly text?: string;
  readonly form?: unknown;
  readonly repeat?: { readonly open: string; readonly close: string; readonly times: number };
  readonly pad?: { readonly json: unknown; readonly size: number };
  readonly tamper?: { readonly from: string; readonly to: string };
}

interface Attack {
  readonly name: string;
  readonly secrets: 'github-only' | 'none' | 'all';
  readonly allowUnsigned: boolean;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: BodySpec;
  readonly sign?: { readonly header: string; readonly prefix: string; readonly secret: string };
  readonly expect: { readonly status: number; readonly refreshed: boolean; readonly reason?: string };
}

const corpus = JSON.parse(readFileSync(new URL('./attacks.json', import.meta.url), 'utf8')) as { repository: string; attacks: Attack[] };

const secretSets: Record<Attack['secrets'], WebhookSecrets> = {
  'github-only': { github: 'gh-secret' },
  none: {},
  all: { github: 'gh-secret', gitlab: 'gl-secret', gitea: 'gt-secret', bitbucket: 'bb-secret', generic: 'ci-secret' },
};

function bodyOf(spec: BodySpec): Buffer {
  if (spec.json !== undefined) return Buffer.from(JSON.stringify(spec.json));
  if (spec.form !== undefined) return Buffer.from(new URLSearchParams({ payload: JSON.stringify(spec.form) }).toString());
  if (spec.repeat !== undefined) return Buffer.from(spec.repeat.open.repeat(spec.repeat.times) + spec.repeat.close.repeat(spec.repeat.times));
  if (spec.pad !== undefined) {
    const text = JSON.stringify(spec.pad.json);
    return Buffer.from(`${text.slice(0, -1)},"padding":"${'x'.repeat(spec.pad.size - text.length - 13)}"}`);
  }
  return Buffer.from(spec.text ?? '');
}

const servers = new Map<string, { server: WebhookServer; target: FakeWebhookTarget }>();

async function serverFor(attack: Attack): Promise<{ server: WebhookServer; target: FakeWebhookTarget }> {
  const key = `${attack.secrets}/${String(attack.allowUnsigned)}`;
  const existing = servers.get(key);
  if (existing !== undefined) return existing;
  const target = new FakeWebhookTarget({ 'capstan/apps': corpus.repository });
  const secrets = secretSets[attack.secrets];
  const server = await startWebhookServer({ address: '127.0.0.1:0', secrets: () => secrets, target, allowUnsigned: attack.allowUnsigned });
  servers.set(key, { server, target });
  return { server, target };
}

function send(port: number, attack: Attack, body: Buffer, headers: Record<string, string | string[]>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: attack.path, method: attack.method, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => {
        resolve(res.statusCode ?? 0);
      });
    });
    // A server that answers before reading the body may close while it is still being sent.
    req.on('error', reject);
    req.end(body);
  });
}

afterAll(async () => {
  await Promise.all([...servers.values()].map(({ server }) => server.close()));
});

describe('hostile webhook requests', () => {
  it('has a corpus', () => {
    expect(corpus.attacks.length).toBeGreaterThan(40);
  });

  it.each(corpus.attacks.map((a) => [a.name, a] as const))('%s', async (_name, attack) => {
    const { server, target } = await serverFor(attack);
    let body = bodyOf(attack.body);
    const headers: Record<string, string | string[]> = { ...attack.headers };
    if (attack.sign !== undefined) {
      const digest = createHmac('sha256', attack.sign.secret).update(body).digest('hex');
      headers[attack.sign.header] = `${attack.sign.prefix}${digest}`;
    }
    const tamper = attack.body.tamper;
    if (tamper !== undefined) body = Buffer.from(body.toString().replace(tamper.from, tamper.to));
    if (headers['content-length'] === undefined) headers['content-length'] = String(body.length);
    const before = target.refreshes.length;
    const status = await send(server.port, attack, headers['content-length'] === String(body.length) ? body : Buffer.alloc(0), headers);
    expect(status).toBe(attack.expect.status);
    const refreshes = target.refreshes.slice(before);
    expect(refreshes.length > 0).toBe(attack.expect.refreshed);
    for (const refresh of refreshes) {
      expect(refresh.reason).not.toMatch(/[\p{Cc}\p{Cf}]/u);
      expect(refresh.reason.length).toBeLessThanOrEqual(200);
      if (attack.expect.reason !== undefined) expect(refresh.reason).toBe(attack.expect.reason);
    }
  });
});
