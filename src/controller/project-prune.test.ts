// Prune and the project, over the in-memory cluster: an object the app tracks that Git no longer
// declares is pruned only while its project permits it; one the project no longer permits (its
// kind blacklisted, its namespace outside the destinations) stays in the cluster and the Ready
// condition names it with the rule. Deleting the app leaves such objects alone too.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { Application } from '../api/application.js';
import type { KubeObject } from '../api/object.js';
import type { AppProjectSpec } from '../projects/index.js';
import { project } from '../projects/testing/project.js';
import { fixedProjects } from './project-source.js';
import { reconcileApp } from './reconcile.js';
import { fakeWorld, type FakeWorld } from './testing/deps.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

const repoURL = 'https://git.example/team-a/apps.git';
const key = { namespace: 'capstan', name: 'web' };

const object = (kind: string, name: string, namespace?: string): KubeObject => ({
  apiVersion: 'v1', kind, metadata: { name, ...(namespace === undefined ? {} : { namespace }) }, data: { colour: 'blue' },
});

/** Git at `sha` holds these objects; the app's target revision `main` points at it. */
function commit(w: FakeWorld, sha: string, objects: readonly KubeObject[]): void {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-project-prune-'));
  roots.push(dir);
  mkdirSync(join(dir, 'app'));
  objects.forEach((o, i) => {
    writeFileSync(join(dir, 'app', `${i}.json`), JSON.stringify(o));
  });
  w.repos.setTree(sha, dir);
  w.repos.setRevision(repoURL, 'main', sha);
}

const application: Application = {
  apiVersion: 'capstan.dev/v1alpha1', kind: 'Application',
  metadata: { name: 'web', namespace: 'capstan', uid: 'app-uid' },
  spec: {
    project: 'team-a',
    source: { repoURL, path: 'app', targetRevision: 'main' },
    destination: { namespace: 'team-a-web' },
    syncPolicy: { automated: { prune: true } },
  },
};

const run = (w: FakeWorld) => reconcileApp(w.deps, 'capstan/web', new AbortController().signal);
const ready = (w: FakeWorld) => w.apps.mustGet(key).status?.conditions?.find((c) => c.type === 'Ready');
const live = (w: FakeWorld, kind: string, namespace: string, name: string) => w.cluster.get({ group: '', kind, namespace, name });

describe('prune and the project', () => {
  it('leaves in the cluster a tracked object the narrowed project no longer permits, naming it; prunes the others', async () => {
    const spec: AppProjectSpec = { sourceRepos: ['*'], destinations: [{ server: '*', namespace: 'team-a*' }] };
    const w = fakeWorld({ projects: fixedProjects([project('team-a', spec)]) });
    commit(w, 'a'.repeat(40), [
      object('ConfigMap', 'settings'), object('ConfigMap', 'old'), object('ConfigMap', 'other', 'team-a-two'), object('Secret', 'token'),
    ]);
    w.apps.put(application);
    await run(w);
    expect(ready(w)).toMatchObject({ status: 'True', reason: 'Synced' });
    expect(live(w, 'ConfigMap', 'team-a-two', 'other')).toBeDefined();

    // Git drops all but one; the project now allows only team-a-web and no Secrets.
    spec.destinations = [{ server: '*', namespace: 'team-a-web' }];
    spec.namespaceResourceBlacklist = [{ group: '', kind: 'Secret' }];
    commit(w, 'b'.repeat(40), [object('ConfigMap', 'settings')]);
    await run(w);
    expect(live(w, 'ConfigMap', 'team-a-web', 'old')).toBeUndefined();
    expect(live(w, 'ConfigMap', 'team-a-two', 'other')).toBeDefined();
    expect(live(w, 'Secret', 'team-a-web', 'token')).toBeDefined();
    expect(w.cluster.calls.filter((c) => c.verb === 'delete').map((c) => c.target)).toEqual(['/ConfigMap/team-a-web/old']);
    const status = w.apps.mustGet(key).status;
    expect(status?.sync?.status).toBe('Synced');
    expect(status?.resources?.map((r) => r.name)).toEqual(['settings']);
    expect(ready(w)).toMatchObject({ status: 'True', reason: 'Synced' });
    expect(ready(w)?.message).toContain('not pruned: ');
    expect(ready(w)?.message).toContain('ConfigMap team-a-two/other: destination namespace "team-a-two" is not permitted by project "team-a"');
    expect(ready(w)?.message).toContain('Secret team-a-web/token: namespaced resource Secret "token" is denied by project "team-a" (namespaceResourceBlacklist: ""/Secret)');
  });

  it('deleting the app deletes what the project permits and leaves the rest', async () => {
    const spec: AppProjectSpec = { sourceRepos: ['*'], destinations: [{ server: '*', namespace: 'team-a*' }] };
    const w = fakeWorld({ projects: fixedProjects([project('team-a', spec)]) });
    commit(w, 'a'.repeat(40), [object('ConfigMap', 'settings'), object('ConfigMap', 'other', 'team-a-two')]);
    w.apps.put(application);
    await run(w);
    expect(ready(w)).toMatchObject({ status: 'True', reason: 'Synced' });
    spec.destinations = [{ server: '*', namespace: 'team-a-web' }];
    const synced = w.apps.mustGet(key);
    w.apps.put({ ...synced, metadata: { ...synced.metadata, deletionTimestamp: new Date(w.clock.now).toISOString() } });
    await run(w);
    await run(w);
    expect(live(w, 'ConfigMap', 'team-a-web', 'settings')).toBeUndefined();
    expect(live(w, 'ConfigMap', 'team-a-two', 'other')).toBeDefined();
    expect(w.cluster.calls.filter((c) => c.verb === 'delete' || c.verb === 'patch').map((c) => c.target)).toEqual(['/ConfigMap/team-a-web/settings']);
  });
});
