// Issue 5, acceptance 2: the controller runs with the deploy/ ServiceAccount's token (not the
// admin user) and syncs; with a narrowed applier role the app reports a clear permission
// condition and nothing is half-applied.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { Apps, installCrd, isSyncedHealthy, kubectl, kubectlApply, readyCondition } from '../support/capstan.js';
import { ControllerProcess } from '../support/controller-process.js';
import { applyObjects, deployRbac, serviceAccountKubeconfig } from '../support/deploy-rbac.js';
import { TestRepo } from '../support/git-repo.js';
import { createNamespace, deleteNamespace, testKubeConfig, uniqueName } from '../support/kube.js';
import { configMap, deployment, service } from '../support/manifests.js';

const kc = testKubeConfig();
const ns = uniqueName('rbac');
const suffix = ns;
const work = mkdtempSync(join(tmpdir(), 'capstan-rbac-'));
const repo = new TestRepo();
const apps = new Apps(kc, ns);
const destinations = [uniqueName('rbac-full'), uniqueName('rbac-narrow')];
let controller: ControllerProcess;

beforeAll(async () => {
  await installCrd();
  await createNamespace(kc, ns);
  applyObjects(deployRbac(ns, suffix));
  const kubeconfig = await serviceAccountKubeconfig(ns, 'capstan-controller', join(work, 'kubeconfig'));
  controller = new ControllerProcess({ namespace: ns, name: 'rbac', cacheDir: join(work, 'cache'), interval: '2s', kubeconfig });
});

afterAll(async () => {
  await controller.ensureStopped();
  for (const app of await apps.list().catch(() => [])) kubectl('-n', ns, 'patch', 'capp', app, '--type', 'json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]');
  kubectl('delete', 'clusterrolebinding', `capstan-applier-${suffix}`, '--ignore-not-found');
  kubectl('delete', 'clusterrole', `capstan-applier-${suffix}`, '--ignore-not-found');
  for (const d of [...destinations, ns]) await deleteNamespace(kc, d);
  repo.destroy();
  rmSync(work, { recursive: true, force: true });
});

describe('running with the deploy/ ServiceAccount', () => {
  it('is not the admin user', () => {
    const who = kubectl('--kubeconfig', join(work, 'kubeconfig'), 'auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}');
    expect(who).toBe(`system:serviceaccount:${ns}:capstan-controller`);
  });

  it('syncs an Application (namespace, Deployment, Service, ConfigMap) to Synced and Healthy', async () => {
    repo.write('full/all.yaml', `${deployment('web')}---\n${service('web')}---\n${configMap('settings')}`);
    repo.commit('full');
    await apps.create('full', { repoURL: repo.url, path: 'full', destinationNamespace: destinations[0] });
    const app = await apps.waitFor('full', 'Synced and Healthy', isSyncedHealthy, 90_000);
    expect(app.status?.resources).toHaveLength(3);
    const web = await kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: 'web', namespace: destinations[0] ?? '' });
    expect(web.metadata?.managedFields?.find((m) => m.manager === 'capstan')?.operation).toBe('Apply');
  });

  it('reports PermissionDenied, naming what was refused, when the applier role is narrowed, and applies nothing', async () => {
    // The platform team's knob: only ConfigMaps and namespaces.
    kubectlApply({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: `capstan-applier-${suffix}` },
      rules: [
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch', 'create', 'patch', 'update', 'delete'] },
        { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'create', 'patch'] },
      ],
    });
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
