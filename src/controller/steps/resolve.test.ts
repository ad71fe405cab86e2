import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { Application } from '../../api/application.js';
import { reconcileApp } from '../reconcile.js';
import { fakeWorld, type FakeWorld } from '../testing/deps.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

const sha = 'c'.repeat(40);
const key = { namespace: 'capstan', name: 'web' };

function application(repoURL: string): Application {
  return {
    apiVersion: 'capstan.dev/v1alpha1', kind: 'Application',
    metadata: { name: 'web', namespace: 'capstan', uid: 'app-uid', generation: 1 },
    spec: { source: { repoURL, path: 'app', targetRevision: 'main' }, destination: { namespace: 'web' }, syncPolicy: { automated: { prune: true } } },
  };
}

function world(repoURL: string): FakeWorld {
  const w = fakeWorld();
  const dir = mkdtempSync(join(tmpdir(), 'capstan-resolve-'));
  roots.push(dir);
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', 'cm.json'), JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: '1' } }));
  w.repos.setRevision(repoURL, 'main', sha).setTree(sha, dir);
  return w;
}

const run = (w: FakeWorld) => reconcileApp(w.deps, 'capstan/web', new AbortController().signal);

describe('resolve step', () => {
  it('shows a refused repository URL as InvalidSpec naming spec.source.repoURL, with a Warning Event, and applies nothing', async () => {
    const url = 'file:///srv/git/apps';
    const w = world(url);
    w.repos.setFailure(url, { code: 'InvalidRepoURL', message: `repository URL "${url}" is refused: local repositories are not read` });
    w.apps.put(application(url));
    await run(w);
    const conditions = w.apps.mustGet(key).status?.conditions ?? [];
    expect(conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'InvalidSpec' });
    expect(conditions.find((c) => c.type === 'Stalled')).toMatchObject({
      status: 'True', reason: 'InvalidSpec', message: `spec.source.repoURL: repository URL "${url}" is refused: local repositories are not read`,
    });
    expect(w.events.events).toEqual([expect.objectContaining({ type: 'Warning', reason: 'InvalidSpec' })]);
    expect(w.cluster.writes).toBe(0);
    expect(w.repos.calls.map((c) => c.method)).toEqual(['resolve']);
  });

  it('shows credentials the repository refuses as AuthenticationFailed (not GitError), with a Warning Event, and applies nothing', async () => {
    const url = 'https://git.example.com/org/private.git';
    const w = world(url);
    const message = 'authentication to repository https://git.example.com/org/private.git failed: the Secret capstan/private-repo was refused';
    w.repos.setFailure(url, { code: 'AuthenticationFailed', message });
    w.apps.put(application(url));
    await run(w);
    const conditions = w.apps.mustGet(key).status?.conditions ?? [];
    expect(conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'AuthenticationFailed', message });
    expect(w.events.events).toEqual([expect.objectContaining({ type: 'Warning', reason: 'AuthenticationFailed', message })]);
    expect(w.cluster.writes).toBe(0);
  });

  it('warns once per spec change about credentials in the URL and a plaintext transport, without quoting them', async () => {
    const url = 'http://robot:glpat-SECRET@git.internal/org/apps.git';
    const w = world(url);
    w.apps.put(application(url));
    await run(w);
    expect(w.apps.mustGet(key).status?.sync?.status).toBe('Synced');
    const warnings = w.events.events.filter((e) => e.type === 'Warning');
    expect(warnings.map((e) => e.reason)).toEqual(['CredentialsInURL', 'InsecureRepoURL']);
    expect(JSON.stringify(w.events.events)).not.toMatch(/SECRET|robot/);
    await run(w);
    expect(w.events.events.filter((e) => e.type === 'Warning')).toHaveLength(2);
  });
});
