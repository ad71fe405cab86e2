// The controller runs with the deploy/ ServiceAccount's token (not the admin user) and syncs;
// the default applier role grants the workload kinds and none of the routes to cluster-admin
// (token requests, exec, node proxy, RBAC); the opt-in platform role adds them back; with a
// narrowed applier role the app reports a clear permission condition and nothing is half-applied.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { Apps, installCrd, isSyncedHealthy, kubectl, kubectlApply, readyCondition } from '../support/capstan.js';
import { ControllerProcess } from '../support/controller-process.js';
import { applyObjects, installDeployRbac, platformRole, serviceAccountKubeconfig } from '../support/deploy-rbac.js';
import { TestRepo } from '../support/git-repo.js';
import { createNamespace, deleteNamespace, eventually, testKubeConfig, uniqueName } from '../support/kube.js';
import { configMap, deployment, service } from '../support/manifests.js';

const kc = testKubeConfig();
const ns = uniqueName('rbac');
const suffix = ns;
const work = mkdtempSync(join(tmpdir(), 'capstan-rbac-'));
const repo = new TestRepo();
const apps = new Apps(kc, ns);
const destinations = [uniqueName('rbac-full'), uniqueName('rbac-narrow')];
let controller: ControllerProcess;
let removeRbac: (() => void) | undefined;
const serviceAccount = `system:serviceaccount:${ns}:capstan-controller`;

/**
 * `kubectl auth can-i` for the controller's ServiceAccount: yes or no. `resource` may name a
 * subresource (pods/exec), passed as --subresource (kubectl reads pods/exec as the pod "exec").
 */
function canI(verb: string, resource: string, namespace?: string): boolean {
  const [kind = '', subresource] = resource.split('/');
  const args = ['auth', 'can-i', verb, kind, '--as', serviceAccount,
    ...(subresource === undefined ? [] : ['--subresource', subresource]), ...(namespace === undefined ? [] : ['-n', namespace])];
  try {
    return kubectl(...args).trim() === 'yes';
  } catch {
    return false; // kubectl auth can-i exits 1 when the answer is no
  }
}

beforeAll(async () => {
  await installCrd();
  await createNamespace(kc, ns);
  removeRbac = await installDeployRbac(ns, suffix);
  const kubeconfig = await serviceAccountKubeconfig(ns, 'capstan-controller', join(work, 'kubeconfig'));
  controller = new ControllerProcess({ namespace: ns, name: 'rbac', cacheDir: join(work, 'cache'), interval: '2s', kubeconfig });
});

afterAll(async () => {
  await controller.ensureStopped();
  for (const app of await apps.list().catch(() => [])) kubectl('-n', ns, 'patch', 'capp', app, '--type', 'json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]');
  removeRbac?.();
  for (const d of [...destinations, ns]) await deleteNamespace(kc, d);
  repo.destroy();
  rmSync(work, { recursive: true, force: true });
});

describe('running with the deploy/ ServiceAccount', () => {
  it('is not the admin user', () => {
    const who = kubectl('--kubeconfig', join(work, 'kubeconfig'), 'auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}');
    expect(who).toBe(`system:serviceaccount:${ns}:capstan-controller`);
  });

  it('may not take the routes to cluster-admin, and may deploy the workload kinds', () => {
    const denied: [string, string, string | undefined][] = [
      ['create', 'serviceaccounts/token', 'kube-system'],
      ['create', 'pods/exec', 'kube-system'],
      ['create', 'pods/attach', 'default'],
      ['create', 'pods/portforward', 'default'],
      ['get', 'nodes/proxy', undefined],
      ['get', 'services/proxy', 'default'],
      ['create', 'clusterrolebindings', undefined],
      ['create', 'rolebindings', 'kube-system'],
      ['create', 'clusterroles', undefined],
      ['create', 'validatingwebhookconfigurations', undefined],
      ['create', 'mutatingwebhookconfigurations', undefined],
      ['update', 'certificatesigningrequests/approval', undefined],
      ['create', 'tokenreviews', undefined],
    ];
    expect(denied.filter(([verb, resource, namespace]) => canI(verb, resource, namespace))).toEqual([]);
    const allowed: [string, string, string | undefined][] = [
      ['create', 'deployments.apps', 'default'],
      ['patch', 'statefulsets.apps', 'default'],
      ['delete', 'daemonsets.apps', 'default'],
      ['create', 'jobs.batch', 'default'],
      ['create', 'cronjobs.batch', 'default'],
      ['patch', 'configmaps', 'default'],
      ['patch', 'secrets', 'default'],
      ['patch', 'services', 'default'],
      ['create', 'ingresses.networking.k8s.io', 'default'],
      ['create', 'horizontalpodautoscalers.autoscaling', 'default'],
      ['create', 'poddisruptionbudgets.policy', 'default'],
      ['create', 'persistentvolumeclaims', 'default'],
      ['watch', 'pods', 'default'],
      ['patch', 'namespaces', undefined],
      ['create', 'customresourcedefinitions.apiextensions.k8s.io', undefined],
    ];
    expect(allowed.filter(([verb, resource, namespace]) => !canI(verb, resource, namespace))).toEqual([]);
  });

  it('gets every kind back with the opt-in platform role, and loses it again without', async () => {
    const platform = platformRole(ns, suffix);
    applyObjects(platform);
    await eventually('the platform rules to apply', () => Promise.resolve(canI('create', 'clusterrolebindings') ? true : undefined), 30_000);
    expect(canI('create', 'serviceaccounts/token', 'kube-system')).toBe(true);
    kubectl('delete', 'clusterrole', `capstan-applier-platform-${suffix}`);
    await eventually('the platform rules to go', () => Promise.resolve(canI('create', 'clusterrolebindings') ? undefined : true), 30_000);
    expect(canI('create', 'serviceaccounts/token', 'kube-system')).toBe(false);
  });

  it('syncs an Application (namespace, Deployment, Service, ConfigMap) to Synced and Healthy', async () => {
    // The controller may read (and watch) its ConfigMap capstan-config: its health script is used.
    kubectlApply({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'capstan-config', namespace: ns },
      data: { 'resource.customizations.health.ConfigMap': 'return { status = "Healthy", message = "checked by capstan-config" }' },
    });
    repo.write('full/all.yaml', `${deployment('web')}---\n${service('web')}---\n${configMap('settings')}`);
    repo.commit('full');
    await apps.create('full', { repoURL: repo.url, path: 'full', destinationNamespace: destinations[0] });
    const app = await apps.waitFor('full', 'Synced and Healthy, the ConfigMap by its script', (a) => isSyncedHealthy(a)
      && a.status?.resources?.find((r) => r.kind === 'ConfigMap')?.health?.message === 'checked by capstan-config', 90_000);
    expect(app.status?.resources).toHaveLength(3);
    const web = await kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: 'web', namespace: destinations[0] ?? '' });
    expect(web.metadata?.managedFields?.find((m) => m.manager === 'capstan')?.operation).toBe('Apply');
  });

  it('reports PermissionDenied, naming what was refused, when the applier role is narrowed, and applies nothing', async () => {
    // The platform team's knob: the workloads role narrowed to ConfigMaps and namespaces.
    kubectlApply({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole',
      metadata: { name: `capstan-applier-workloads-${suffix}`, labels: { [`capstan.dev/aggregate-to-applier-${suffix}`]: 'true' } },
      rules: [
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch', 'create', 'patch', 'update', 'delete'] },
        { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'create', 'patch'] },
      ],
    });
    await eventually('the narrowed rules to apply', () => Promise.resolve(canI('create', 'deployments.apps', 'default') ? undefined : true), 30_000);
    const dest = destinations[1] ?? '';
    await createNamespace(kc, dest);
    repo.write('narrow/all.yaml', `${configMap('narrow-settings')}---\n${deployment('narrow-web')}`);
    repo.commit('narrow');
    await apps.create('narrow', { repoURL: repo.url, path: 'narrow', destinationNamespace: dest });
    const app = await apps.waitFor('narrow', 'PermissionDenied', (a) => readyCondition(a)?.reason === 'PermissionDenied', 60_000);
    expect(readyCondition(app)?.message).toMatch(/deployments/);
    expect(readyCondition(app)?.message).toContain(`system:serviceaccount:${ns}:capstan-controller`);
    expect(app.status?.conditions?.find((c) => c.type === 'Stalled')?.reason).toBe('PermissionDenied');
    const events = await apps.events('narrow');
    expect(events.some((e) => e.type === 'Warning' && e.reason === 'PermissionDenied')).toBe(true);
    // The ConfigMap it was allowed to create was not applied either: no half-applied app.
    const cms = await kc.makeApiClient(CoreV1Api).listNamespacedConfigMap({ namespace: dest });
    expect(cms.items.map((c) => c.metadata?.name)).toEqual(['kube-root-ca.crt']);
  });
});
