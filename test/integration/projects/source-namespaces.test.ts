// sourceNamespaces on the real control plane: a controller watching its own namespace and a
// tenants' namespace refuses an Application of the tenants' namespace with ProjectDenied (nothing
// applied) unless its project's sourceNamespaces matches that namespace; an Application of the
// controller's own namespace may use the same project regardless; adding the namespace to
// sourceNamespaces lets the refused app sync.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import { Apps, installCrd, isSyncedHealthy, readyCondition, startController, type RunningController } from '../support/capstan.js';
import { TestRepo } from '../support/git-repo.js';
import { createNamespace, deleteNamespace, eventually, testKubeConfig, uniqueName } from '../support/kube.js';
import { configMap } from '../support/manifests.js';
import { applyProject } from './support.js';

const kc = testKubeConfig();
const prefix = uniqueName('srcns');
const own = `${prefix}-own`;
const tenants = `${prefix}-tenants`;
const destinations = { own: `${prefix}-dest-own`, tenant: `${prefix}-dest-tenant`, other: `${prefix}-dest-other` };
const repo = new TestRepo();
const ownApps = new Apps(kc, own);
const tenantApps = new Apps(kc, tenants);
let controller: RunningController | undefined;

const project = (sourceNamespaces: string[]) => ({ sourceRepos: ['*'], destinations: [{ server: '*', namespace: `${prefix}-dest-*` }], sourceNamespaces });

beforeAll(async () => {
  await installCrd();
  for (const ns of [own, tenants, ...Object.values(destinations)]) await createNamespace(kc, ns);
  applyProject(own, 'closed', project([]));
  applyProject(own, 'for-tenants', project([`${prefix}-ten*`]));
  repo.write('app/settings.yaml', configMap('settings')).commit('settings');
  controller = await startController({ namespace: own, extraNamespaces: [tenants], name: 'source-namespaces' });
}, 120_000);
afterAll(async () => {
  for (const apps of [tenantApps, ownApps]) {
    const names = await apps.list().catch(() => []);
    await Promise.all(names.map((n) => apps.delete(n, { wait: true }).catch(() => undefined)));
  }
  await controller?.stop();
  for (const ns of [own, tenants, ...Object.values(destinations)]) await deleteNamespace(kc, ns);
  repo.destroy();
}, 120_000);

const create = (apps: Apps, name: string, projectName: string, destination: string) =>
  apps.create(name, { repoURL: repo.url, path: 'app', destinationNamespace: destination, syncOptions: [], extraSpec: { project: projectName } });

const settingsIn = (namespace: string): Promise<boolean> =>
  kc.makeApiClient(CoreV1Api).readNamespacedConfigMap({ namespace, name: 'settings' }).then(() => true, () => false);

describe('an Application outside the controller namespace', () => {
  it('is refused unless the project lists its namespace in sourceNamespaces; the controller namespace is always allowed', async () => {
    await create(tenantApps, 'refused', 'closed', destinations.tenant);
    const refused = await tenantApps.waitFor('refused', 'ProjectDenied', (a) => readyCondition(a)?.reason === 'ProjectDenied');
    expect(readyCondition(refused)?.message).toContain(`an Application in namespace "${tenants}" is not permitted by project "closed" (sourceNamespaces: none)`);
    expect(readyCondition(refused)?.message).toContain('nothing was applied');
    const event = await eventually('a Warning Event ProjectDenied', async () =>
      (await tenantApps.events('refused')).find((e) => e.type === 'Warning' && e.reason === 'ProjectDenied'));
    expect(event.message).toContain('sourceNamespaces');

    await create(ownApps, 'own', 'closed', destinations.own);
    await ownApps.waitFor('own', 'Synced in the controller namespace', isSyncedHealthy);
    expect(await settingsIn(destinations.own)).toBe(true);

    await create(tenantApps, 'allowed', 'for-tenants', destinations.other);
    await tenantApps.waitFor('allowed', 'Synced: sourceNamespaces matches its namespace', isSyncedHealthy);
    expect(await settingsIn(destinations.other)).toBe(true);
    // Refused all along: nothing of it applied.
    expect(await settingsIn(destinations.tenant)).toBe(false);

    applyProject(own, 'closed', project([tenants]));
    await tenantApps.waitFor('refused', 'Synced once sourceNamespaces lists its namespace', isSyncedHealthy);
    expect(await settingsIn(destinations.tenant)).toBe(true);
  }, 120_000);
});
