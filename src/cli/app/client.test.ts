import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { Application } from '../../api/application.js';
import { KubeApiError } from '../../cluster/errors.js';
import type { ResourceClient } from '../../cluster/resources.js';
import { AppClient } from './client.js';

const dir = mkdtempSync(join(tmpdir(), 'capstan-client-'));
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

/** An AppClient whose ResourceClient is an in-memory Application at a resourceVersion that moves on each read. */
function clientWith(conflicts: number): { client: AppClient; patches: unknown[]; reads: () => number } {
  const kubeconfig = join(dir, 'config');
  writeFileSync(kubeconfig, JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'c',
    clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }], contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }], users: [{ name: 'u', user: {} }],
  }));
  const client = new AppClient({ kubeconfig });
  client.close();
  let version = 0;
  const patches: unknown[] = [];
  const app = (): Application => ({
    apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: 'web', namespace: 'capstan', resourceVersion: String(++version) },
    spec: { source: { repoURL: 'https://git.example.com/a.git' }, destination: {} },
  });
  const resources = {
    discovery: { resolve: () => Promise.resolve({ group: 'capstan.dev', version: 'v1alpha1', kind: 'Application', plural: 'applications', namespaced: true }) },
    get: () => Promise.resolve(app()),
    patch: (_info: unknown, _ns: string, _name: string, patch: unknown) => {
      patches.push(patch);
      if (patches.length <= conflicts) return Promise.reject(new KubeApiError(409, 'Conflict', 'the object has been modified'));
      return Promise.resolve({ ...app(), ...(patch as object) });
    },
  } as unknown as ResourceClient;
  Object.defineProperty(client, 'resources', { value: resources });
  return { client, patches, reads: () => version };
}

describe('AppClient.patchGuarded', () => {
  it('patches the version it decided on, and decides again on the new one after a conflict', async () => {
    const { client, patches } = clientWith(2);
    const seen: string[] = [];
    const result = await client.patchGuarded('capstan', 'web', (a) => {
      seen.push(a.metadata.resourceVersion ?? '');
      return { patch: { metadata: { annotations: { x: 'y' } } } };
    });
    expect(result.ok).toBe(true);
    expect(seen).toEqual(['1', '2', '3']);
    expect(patches).toEqual(['1', '2', '3'].map((rv) => ({ metadata: { annotations: { x: 'y' }, resourceVersion: rv } })));
  });

  it('writes nothing when the decision refuses', async () => {
    const { client, patches } = clientWith(0);
    expect(await client.requestOperation('capstan', 'web', { sync: {} }, () => 'no')).toEqual({ ok: false, error: 'no' });
    expect(patches).toEqual([]);
  });

  it('gives up after repeated conflicts', async () => {
    const { client } = clientWith(100);
    await expect(client.patchGuarded('capstan', 'web', () => ({ patch: {} }))).rejects.toThrow('the object has been modified');
  });
});
