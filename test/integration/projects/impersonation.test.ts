// Acceptance 3 of issue 13 on the real control plane: with destinationServiceAccounts naming a
// ServiceAccount that may manage only ConfigMaps of the destination namespace, an app with a
// Deployment reports the API server's 403 for that ServiceAccount and nothing of it is written;
// an app with only a ConfigMap syncs, and a Secret is refused like the Deployment; deleting an
// app deletes its objects as the ServiceAccount too.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { isSyncedHealthy, kubectlApply, readyCondition } from '../support/capstan.js';
import { createNamespace, eventually } from '../support/kube.js';
import { configMap, deployment, secret } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';
import { applyProject, permissive } from './support.js';

const s = new Scenario('projimp', { intervalMs: 600_000 });
let core: CoreV1Api;
let apps: AppsV1Api;
let dest: string;
let deployer: string;

beforeAll(async () => {
  await s.setUp();
  core = s.kc.makeApiClient(CoreV1Api);
  apps = s.kc.makeApiClient(AppsV1Api);
  dest = s.destination('imp');
  deployer = `system:serviceaccount:${dest}:deployer`;
  await createNamespace(s.kc, dest);
  // The ServiceAccount may manage the ConfigMaps of the destination namespace, and nothing else.
  kubectlApply({
    apiVersion: 'v1', kind: 'List', items: [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'deployer', namespace: dest } },
      configMapRole(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']),
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'deployer-configmaps', namespace: dest },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'configmaps' },
        subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: dest }] },
    ],
  });
  applyProject(s.namespace, 'tenant', {
    ...permissive,
    destinationServiceAccounts: [{ server: 'https://kubernetes.default.svc', namespace: dest, defaultServiceAccount: 'deployer' }],
  });
  s.repo.write('mixed/web.yaml', deployment('web'));
  s.repo.write('mixed/settings.yaml', configMap('web-settings'));
  s.repo.write('config/settings.yaml', configMap('settings'));
  s.repo.write('secret/token.yaml', secret('token', { a: '1' }));
  s.repo.write('config-kept/kept.yaml', configMap('kept'));
  s.repo.commit('apps');
}, 120_000);
afterAll(async () => {
  await s.tearDown();
}, 120_000);

const configMapRole = (verbs: string[]) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'configmaps', namespace: dest },
  rules: [{ apiGroups: [''], resources: ['configmaps'], verbs }],
});
const exists = (read: () => Promise<unknown>): Promise<boolean> => read().then(() => true, () => false);
const create = (name: string, path: string) =>
  s.apps.create(name, { repoURL: s.repo.url, path, destinationNamespace: dest, syncOptions: [], extraSpec: { project: 'tenant' } });

describe('writes as the ServiceAccount of destinationServiceAccounts', () => {
  it("an app with a Deployment reports the API server's 403 for the ServiceAccount", async () => {
    await create('mixed', 'mixed');
    const app = await s.apps.waitFor('mixed', 'refused by RBAC', (a) => readyCondition(a)?.message.includes(deployer) === true);
    expect(readyCondition(app)).toMatchObject({ status: 'False', reason: 'PermissionDenied' });
    expect(readyCondition(app)?.message).toContain(`deployments.apps "web" is forbidden: User "${deployer}" cannot patch resource "deployments"`);
    expect(await exists(() => apps.readNamespacedDeployment({ name: 'web', namespace: dest }))).toBe(false);
    // The comparison's dry runs already run as the ServiceAccount: the refusal stops the app before
    // its sync, so its ConfigMap, which the ServiceAccount could write, is not applied either.
    expect(await exists(() => core.readNamespacedConfigMap({ name: 'web-settings', namespace: dest }))).toBe(false);
  }, 120_000);

  it('an app the ServiceAccount may write syncs, and deleting the app deletes its ConfigMap', async () => {
    await create('config', 'config');
    await s.apps.waitFor('config', 'Synced', isSyncedHealthy);
    expect(await exists(() => core.readNamespacedConfigMap({ name: 'settings', namespace: dest }))).toBe(true);
    await s.apps.delete('config', { wait: true });
    expect(await exists(() => core.readNamespacedConfigMap({ name: 'settings', namespace: dest }))).toBe(false);
  }, 120_000);

  it('a Secret the ServiceAccount may not write is refused with its 403 too', async () => {
    await create('secret', 'secret');
    const app = await s.apps.waitFor('secret', 'refused by RBAC', (a) => readyCondition(a)?.message.includes(deployer) === true);
    expect(readyCondition(app)?.message).toContain(`secrets "token" is forbidden: User "${deployer}"`);
    expect(await exists(() => core.readNamespacedSecret({ name: 'token', namespace: dest }))).toBe(false);
  }, 120_000);

  it('deleting an app deletes as the ServiceAccount: refused while it may not delete, done once it may', async () => {
    await create('kept', 'config-kept');
    await s.apps.waitFor('kept', 'Synced', isSyncedHealthy);
    kubectlApply(configMapRole(['get', 'list', 'watch', 'create', 'update', 'patch']));
    await s.apps.delete('kept');
    const app = await s.apps.waitFor('kept', 'DeleteFailed for the ServiceAccount', (a) => readyCondition(a)?.reason === 'DeleteFailed');
    expect(readyCondition(app)?.message).toContain(`User "${deployer}" cannot delete resource "configmaps"`);
    expect(await exists(() => core.readNamespacedConfigMap({ name: 'kept', namespace: dest }))).toBe(true);
    kubectlApply(configMapRole(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']));
    await eventually('the app gone with its ConfigMap', async () => ((await s.apps.get('kept')) === undefined ? true : undefined), 90_000);
    expect(await exists(() => core.readNamespacedConfigMap({ name: 'kept', namespace: dest }))).toBe(false);
  }, 180_000);
});
