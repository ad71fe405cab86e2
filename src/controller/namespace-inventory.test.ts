import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../api/object.js';
import type { ResourceInfo } from '../cluster/discovery.js';
import { KubeApiError } from '../cluster/errors.js';
import { ListedNamespaces } from './namespace-inventory.js';

const kind = (group: string, k: string): ResourceInfo => ({ group, version: 'v1', kind: k, plural: `${k.toLowerCase()}s`, namespaced: true, verbs: ['list'] });
const served = [kind('', 'ConfigMap'), kind('', 'Secret'), kind('', 'Event'), kind('apps', 'Deployment')];
const obj = (k: string, name: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({ apiVersion: 'v1', kind: k, metadata: { name, namespace: 'web', ...extra } });

function inventory(options: { maxObjects?: number } = {}) {
  const clock = { now: 0 };
  const listed: string[] = [];
  const namespaces = new ListedNamespaces({
    kinds: () => Promise.resolve({ kinds: served, unreadable: ['metrics.k8s.io/v1beta1'] }),
    list: (info, namespace) => {
      listed.push(`${info.kind}/${namespace}`);
      if (info.kind === 'Secret') return Promise.reject(new KubeApiError(403, 'Forbidden', 'secrets is forbidden'));
      if (info.kind === 'ConfigMap') return Promise.resolve([obj('ConfigMap', 'a', { annotations: { 'capstan.dev/tracking-id': 'capstan/web:/ConfigMap:web/a' } }), obj('ConfigMap', 'b')]);
      return Promise.resolve([obj('Deployment', 'd', { ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u' }] })]);
    },
    now: () => clock.now,
    ...options,
  });
  return { namespaces, clock, listed };
}

describe('ListedNamespaces', () => {
  it('lists every kind but the excluded ones, keeps what tells who manages each object, and names what it could not list', async () => {
    const { namespaces, listed } = inventory();
    const listing = await namespaces.list('web', { maxAgeMs: 60_000 });
    expect(listed.sort()).toEqual(['ConfigMap/web', 'Deployment/web', 'Secret/web']);
    expect(listing.objects).toEqual(expect.arrayContaining([
      { group: '', kind: 'ConfigMap', name: 'a', namespace: 'web', owned: false, trackedBy: 'capstan/web' },
      { group: '', kind: 'ConfigMap', name: 'b', namespace: 'web', owned: false },
      { group: 'apps', kind: 'Deployment', name: 'd', namespace: 'web', owned: true },
    ]));
    expect(listing.skipped).toEqual(['Secret (the controller may not list it)', 'metrics.k8s.io/v1beta1 (its discovery document cannot be read)']);
    expect(listing.truncated).toBe(false);
  });

  it('lists a namespace again only once the listing is older than maxAgeMs, the previous one answering meanwhile', async () => {
    const { namespaces, clock, listed } = inventory();
    const first = await namespaces.list('web', { maxAgeMs: 60_000 });
    clock.now = 59_999;
    expect(await namespaces.list('web', { maxAgeMs: 60_000 })).toBe(first);
    expect(listed).toHaveLength(3);
    clock.now = 60_000;
    expect(await namespaces.list('web', { maxAgeMs: 60_000 })).toBe(first);
    const second = await namespaces.list('web', { maxAgeMs: 60_000 });
    expect(second).not.toBe(first);
    expect(listed).toHaveLength(6);
  });

  it('keeps at most maxObjects objects and says so', async () => {
    const { namespaces } = inventory({ maxObjects: 2 });
    const listing = await namespaces.list('web', { maxAgeMs: 60_000 });
    expect(listing.objects).toHaveLength(2);
    expect(listing.truncated).toBe(true);
  });
});
