import { describe, expect, it } from '@jest/globals';
import type { ResourceClient } from '../cluster/resources.js';
import { webhookSecretsReader } from './webhook-secrets.js';

/** Only `get` is used by the reader. */
function client(get: () => Promise<unknown>): { resources: ResourceClient; calls: () => number } {
  let calls = 0;
  const resources = { get: () => { calls += 1; return get(); } } as unknown as ResourceClient;
  return { resources, calls: () => calls };
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('webhookSecretsReader', () => {
  it('reads the provider keys, ignoring blank ones, and no Secret as no secrets', async () => {
    const { resources } = client(() => Promise.resolve({ data: { github: b64('gh\n'), gitlab: b64('  '), other: b64('x') } }));
    expect(await webhookSecretsReader(resources, 'capstan')()).toEqual({ github: 'gh' });
    const none = client(() => Promise.resolve(undefined));
    expect(await webhookSecretsReader(none.resources, 'capstan')()).toEqual({});
  });

  it('shares one read among concurrent requests and caches it', async () => {
    let now = 0;
    const { resources, calls } = client(() => Promise.resolve({ data: { github: b64('gh') } }));
    const read = webhookSecretsReader(resources, 'capstan', { cacheMs: 5_000, now: () => now });
    await Promise.all(Array.from({ length: 100 }, () => read()));
    expect(calls()).toBe(1);
    now = 4_999;
    await read();
    expect(calls()).toBe(1);
    now = 5_000;
    await read();
    expect(calls()).toBe(2);
  });

  it('remembers a failed read briefly, so a flood of webhooks is no flood of GETs', async () => {
    let now = 0;
    const { resources, calls } = client(() => Promise.reject(new Error('forbidden')));
    const read = webhookSecretsReader(resources, 'capstan', { failureCacheMs: 1_000, now: () => now });
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => read()));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    await expect(read()).rejects.toThrow('forbidden');
    expect(calls()).toBe(1);
    now = 1_000;
    await expect(read()).rejects.toThrow('forbidden');
    expect(calls()).toBe(2);
  });
});
