import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { Application } from '../../api/application.js';
import { readRequests } from '../annotations.js';
import type { ReconcileContext } from '../context.js';
import { fakeDestinationPorts, fakeWorld, type FakeWorld } from '../testing/deps.js';
import { render } from './render.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

const sha = 'd'.repeat(40);

function tree(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-render-step-'));
  roots.push(dir);
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', 'cm.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`);
  return dir;
}

function application(name: string, repoURL: string): Application {
  return {
    apiVersion: 'capstan.dev/v1alpha1', kind: 'Application',
    metadata: { name, namespace: 'capstan', uid: `${name}-uid`, generation: 1 },
    spec: { source: { repoURL, path: 'app', targetRevision: sha }, destination: { namespace: name } },
  };
}

function context(w: FakeWorld, app: Application): ReconcileContext {
  const log = w.deps.logger;
  const sources = app.spec.source === undefined ? [] : [{ source: app.spec.source, revision: sha }];
  return { deps: w.deps, key: { namespace: 'capstan', name: app.metadata.name ?? '' }, app, requests: readRequests(app), log, signal: new AbortController().signal, force: false, sha, sources, target: fakeDestinationPorts(w.cluster) };
}

describe('render step', () => {
  it('never hands an app the cached render of another repository at the same commit', async () => {
    const w = fakeWorld();
    w.repos.setTree(sha, tree('private'));
    const owner = context(w, application('owner', 'https://git.example.com/team/private.git'));
    expect(await render.run(owner)).toEqual({ ok: true, value: undefined });
    expect(owner.rendered?.map((o) => o.metadata.name)).toEqual(['private']);

    // Another app names the same commit of a repository it may not read.
    w.repos.setFailure('https://git.example.com/other/public.git', { code: 'RevisionNotFound', message: `commit ${sha} not found` });
    const other = context(w, application('other', 'https://git.example.com/other/public.git'));
    expect(await render.run(other)).toMatchObject({ ok: false });
    expect(other.rendered).toBeUndefined();
    expect(w.repos.calls.filter((c) => c.method === 'checkout').map((c) => c.repoURL)).toEqual([
      'https://git.example.com/team/private.git', 'https://git.example.com/other/public.git',
    ]);
  });

  it('reuses a render for every spelling of one repository URL, and gives each reconcile objects of its own', async () => {
    const w = fakeWorld();
    w.repos.setTree(sha, tree('shared'));
    const first = context(w, application('a', 'https://git.example.com/team/apps.git'));
    const second = context(w, application('b', 'https://GIT.example.com/team/apps/'));
    await render.run(first);
    await render.run(second);
    expect(w.repos.calls.filter((c) => c.method === 'checkout')).toHaveLength(1);
    expect(second.rendered).toEqual(first.rendered);
    expect(second.rendered?.[0]).not.toBe(first.rendered?.[0]);
  });
});
