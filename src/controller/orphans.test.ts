// Orphaned resources through the reconcile, over the in-memory cluster: with the project's
// orphanedResources.warn, objects of the destination namespace that no app manages show in an
// OrphanedResourceWarning condition (and an Event when their number changes); ignore entries and
// warn: false leave them out of it.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { Application } from '../api/application.js';
import type { AppProjectSpec } from '../projects/index.js';
import { project } from '../projects/testing/project.js';
import { fixedDestination } from './adapters.js';
import { ListedNamespaces } from './namespace-inventory.js';
import { fixedProjects } from './project-source.js';
import { reconcileApp } from './reconcile.js';
import { defaultKinds } from './testing/fake-cluster.js';
import { fakeDestinationPorts, fakeWorld, type FakeWorld } from './testing/deps.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

const repoURL = 'https://git.example/team-a/apps.git';
const sha = 'a'.repeat(40);
const key = { namespace: 'capstan', name: 'web' };

function world(spec: AppProjectSpec): FakeWorld {
  const w = fakeWorld({ projects: fixedProjects([project('team-a', spec)]) });
  const namespaces = new ListedNamespaces({
    kinds: () => Promise.resolve({ kinds: defaultKinds.map((k) => ({ ...k, plural: `${k.kind.toLowerCase()}s`, verbs: ['list'] })), unreadable: [] }),
    list: (info, namespace) => Promise.resolve(w.cluster.all().filter((o) => o.kind === info.kind && o.metadata.namespace === namespace)),
    now: () => w.clock.now,
  });
  const withInventory = { ...w, deps: { ...w.deps, destinations: fixedDestination({ ...fakeDestinationPorts(w.cluster), namespaces }) } };
  const dir = mkdtempSync(join(tmpdir(), 'capstan-orphans-'));
  roots.push(dir);
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', 'settings.json'), JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: {} }));
  w.repos.setTree(sha, dir);
  w.repos.setRevision(repoURL, 'main', sha);
  w.cluster.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stray', namespace: 'team-a-web' }, data: {} });
  w.cluster.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace: 'team-a-web' }, data: {} });
  w.cluster.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'elsewhere', namespace: 'team-b' }, data: {} });
  w.apps.put({
    apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: 'web', namespace: 'capstan', uid: 'app-uid' },
    spec: { project: 'team-a', source: { repoURL, path: 'app', targetRevision: 'main' }, destination: { namespace: 'team-a-web' }, syncPolicy: { automated: { prune: true } } },
  } satisfies Application);
  return withInventory;
}

const teamA = (orphanedResources: AppProjectSpec['orphanedResources']): AppProjectSpec => ({
  sourceRepos: ['*'], destinations: [{ server: '*', namespace: 'team-a*' }], ...(orphanedResources === undefined ? {} : { orphanedResources }),
});
const run = (w: FakeWorld) => reconcileApp(w.deps, 'capstan/web', new AbortController().signal);
const warning = (w: FakeWorld) => w.apps.mustGet(key).status?.conditions?.find((c) => c.type === 'OrphanedResourceWarning');
const orphanEvents = (w: FakeWorld) => w.events.events.filter((e) => e.reason === 'OrphanedResourceWarning');

describe('orphaned resources', () => {
  it('warns of an unmanaged object of the destination namespace, not of the app\'s own; an ignore entry removes it', async () => {
    const spec = teamA({ warn: true });
    const w = world(spec);
    await run(w);
    const status = w.apps.mustGet(key).status;
    expect(status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'Synced' });
    expect(warning(w)).toMatchObject({ status: 'True', reason: 'OrphanedResources', message: '1 orphaned resource in namespace team-a-web: ConfigMap stray' });
    expect(orphanEvents(w)).toEqual([expect.objectContaining({ type: 'Warning', message: '1 orphaned resource in namespace team-a-web: ConfigMap stray' })]);

    // The same count again: no second Event.
    await run(w);
    expect(orphanEvents(w)).toHaveLength(1);

    spec.orphanedResources = { warn: true, ignore: [{ kind: 'ConfigMap', name: 'str*' }] };
    await run(w);
    expect(warning(w)).toBeUndefined();
    expect(orphanEvents(w).at(-1)).toMatchObject({ type: 'Normal', message: 'no orphaned resources in namespace team-a-web any more' });
  });

  it('does not count an object whose tracking id names this app', async () => {
    const w = world(teamA({ warn: true }));
    const stray = w.cluster.all().find((o) => o.metadata.name === 'stray');
    if (stray === undefined) throw new Error('no stray ConfigMap');
    w.cluster.put({ ...stray, metadata: { ...stray.metadata, annotations: { 'capstan.dev/tracking-id': 'capstan/web:/ConfigMap:team-a-web/stray' } } });
    await run(w);
    expect(warning(w)).toBeUndefined();
  });

  it.each([['warn: false', { warn: false }], ['no orphanedResources', undefined]])('with %s there is no warning', async (_what, orphanedResources) => {
    const w = world(teamA(orphanedResources));
    await run(w);
    expect(warning(w)).toBeUndefined();
    expect(orphanEvents(w)).toEqual([]);
  });
});
