// Issue 9, acceptance 4: an Application whose repoURL is a file:// URL or a plain path is refused
// with a clear condition unless the controller runs with --allow-local-repos; an app cannot
// render another repository's tree by pinning its commit SHA.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import type { Application } from '../../../src/api/application.js';
import { Apps, installCrd, isSyncedHealthy } from '../support/capstan.js';
import { ControllerProcess } from '../support/controller-process.js';
import { TestRepo } from '../support/git-repo.js';
import { createNamespace, deleteNamespace, testKubeConfig, uniqueName } from '../support/kube.js';
import { configMap } from '../support/manifests.js';

const kc = testKubeConfig();
const core = kc.makeApiClient(CoreV1Api);
const ns = uniqueName('isolation');
const apps = new Apps(kc, ns);
const teamA = new TestRepo('capstan-team-a-');
const teamB = new TestRepo('capstan-team-b-');
const cacheDir = mkdtempSync(join(tmpdir(), 'capstan-isolation-'));
const destinations: string[] = [];
let controller: ControllerProcess | undefined;

function destination(prefix: string): string {
  const name = uniqueName(prefix);
  destinations.push(name);
  return name;
}

function start(name: string, allowLocalRepos: boolean): ControllerProcess {
  controller = new ControllerProcess({ namespace: ns, name, cacheDir, allowLocalRepos });
  return controller;
}

async function stop(): Promise<void> {
  await controller?.stop();
  controller = undefined;
}

const condition = (app: Application, type: string) => app.status?.conditions?.find((c) => c.type === type);
const stalledWith = (reason: string) => (app: Application): boolean => condition(app, 'Stalled')?.status === 'True' && condition(app, 'Stalled')?.reason === reason;

async function configMapsIn(namespace: string): Promise<string[]> {
  try {
    return (await core.listNamespacedConfigMap({ namespace })).items.map((c) => c.metadata?.name ?? '').filter((n) => n !== 'kube-root-ca.crt').sort();
  } catch {
    return [];
  }
}

async function namespaceExists(name: string): Promise<boolean> {
  return core.readNamespace({ name }).then(() => true, () => false);
}

beforeAll(async () => {
  await installCrd();
  await createNamespace(kc, ns);
  teamA.write('a/settings.yaml', configMap('team-a-settings', { team: 'a' }));
  teamA.commit('team a');
  teamB.write('a/secret-settings.yaml', configMap('team-b-private', { password: 'team-b-prod-password' }));
  teamB.commit('team b');
});

afterAll(async () => {
  if (controller === undefined) start('isolation-cleanup', true);
  for (const name of await apps.list().catch(() => [])) await apps.delete(name, { wait: true }).catch(() => undefined);
  await stop();
  for (const name of [...destinations, ns]) await deleteNamespace(kc, name);
  teamA.destroy();
  teamB.destroy();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('repository isolation', () => {
  it('refuses file:// and plain-path repositories without --allow-local-repos (InvalidSpec, Warning Event, nothing applied) and reads them with it', async () => {
    start('isolation-strict', false);
    const byUrl = destination('iso-url');
    const byPath = destination('iso-path');
    await apps.create('by-url', { repoURL: teamA.url, path: 'a', destinationNamespace: byUrl });
    await apps.create('by-path', { repoURL: teamA.dir, path: 'a', destinationNamespace: byPath });
    for (const name of ['by-url', 'by-path']) {
      const app = await apps.waitFor(name, 'refused as InvalidSpec', stalledWith('InvalidSpec'));
      const message = condition(app, 'Stalled')?.message ?? '';
      expect(message).toMatch(/^spec\.source\.repoURL: repository URL ".*" is refused: local repositories \(file:\/\/ URLs and paths\) are not read unless the controller runs with --allow-local-repos$/);
      expect(condition(app, 'Ready')).toMatchObject({ status: 'False', reason: 'InvalidSpec' });
      expect(app.status?.sync?.revision).toBeUndefined();
      expect((await apps.events(name)).filter((e) => e.type === 'Warning' && e.reason === 'InvalidSpec').map((e) => e.message)).toEqual([message]);
    }
    // Nothing applied: not even the destination namespace (CreateNamespace=true) was created.
    expect([await namespaceExists(byUrl), await namespaceExists(byPath)]).toEqual([false, false]);
    await stop();

    start('isolation-local', true);
    for (const name of ['by-url', 'by-path']) await apps.waitFor(name, 'Synced with --allow-local-repos', isSyncedHealthy);
    expect([await configMapsIn(byUrl), await configMapsIn(byPath)]).toEqual([['team-a-settings'], ['team-a-settings']]);
  });

  it('does not render another repository\'s commit for an app that pins its SHA (target revision, short SHA or sync-revision)', async () => {
    if (controller === undefined) start('isolation-local', true);
    const bDest = destination('iso-team-b');
    await apps.create('team-b', { repoURL: teamB.url, path: 'a', destinationNamespace: bDest });
    const b = await apps.waitFor('team-b', 'Synced', isSyncedHealthy);
    const bSha = b.status?.sync?.revision ?? '';
    expect(bSha).toMatch(/^[0-9a-f]{40}$/);
    expect(await configMapsIn(bDest)).toEqual(['team-b-private']);

    const pinned = destination('iso-pinned');
    const short = destination('iso-short');
    const annotated = destination('iso-annotated');
    await apps.create('pins-b-sha', { repoURL: teamA.url, path: 'a', targetRevision: bSha, destinationNamespace: pinned });
    await apps.create('pins-b-short', { repoURL: teamA.dir, path: 'a', targetRevision: bSha.slice(0, 8), destinationNamespace: short });
    await apps.create('annotates-b', { repoURL: teamA.url, path: 'a', destinationNamespace: annotated });
    await apps.waitFor('annotates-b', 'Synced to its own repository', isSyncedHealthy);
    apps.annotate('annotates-b', { 'capstan.dev/sync-revision': bSha });

    for (const name of ['pins-b-sha', 'pins-b-short', 'annotates-b']) {
      const app = await apps.waitFor(name, 'RevisionNotFound', stalledWith('RevisionNotFound'));
      expect(condition(app, 'Stalled')?.message).toMatch(new RegExp(`^revision "${bSha.slice(0, 8)}[0-9a-f]*" not found in repository `));
      expect(app.status?.sync?.revision).not.toBe(bSha);
    }
    // Nothing of team B's repository reached the other apps' destinations.
    expect(await configMapsIn(pinned)).toEqual([]);
    expect(await configMapsIn(short)).toEqual([]);
    expect(await configMapsIn(annotated)).toEqual(['team-a-settings']);
  });
});
