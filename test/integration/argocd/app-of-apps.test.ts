// App of apps in Argo CD's format under --argocd-compat (issue 16, acceptance 1 and 3): a parent
// Argo CD Application renders three child Applications, one each of a directory (with a PreSync
// hook), a Kustomize and a Helm source, in sync waves 0, 1 and 2. The parent's next wave waits
// until the child before it is synced and healthy; all reach Synced and Healthy, as
// `kubectl get applications.argoproj.io` shows.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { argoApp, installArgoCdCrds } from '../support/argocd.js';
import { installCrd, kubectl, kubectlApply, startController, type RunningController } from '../support/capstan.js';
import { TestRepo } from '../support/git-repo.js';
import { createNamespace, deleteNamespace, eventually, testKubeConfig, uniqueName } from '../support/kube.js';
import { configMap } from '../support/manifests.js';

const kc = testKubeConfig();
const argocdNs = uniqueName('argocd-aoa');
const dests = { a: uniqueName('aoa-dir'), b: uniqueName('aoa-kustomize'), c: uniqueName('aoa-helm') };
const gate = `capstan.dev/test-gate-${argocdNs}`;
const repo = new TestRepo();
let controller: RunningController | undefined;

const exists = (namespace: string, kind: string, name: string): boolean => kubectl('-n', namespace, 'get', kind, name, '--ignore-not-found', '-o', 'name').trim() !== '';
const syncedHealthy = (name: string): boolean => {
  const status = exists(argocdNs, 'applications.argoproj.io', name) ? argoApp(argocdNs, name).status : undefined;
  return status?.sync?.status === 'Synced' && status.health?.status === 'Healthy';
};

function child(name: string, wave: string, path: string, destination: string, extraSource: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application',
    metadata: { name, namespace: argocdNs, annotations: { 'argocd.argoproj.io/sync-wave': wave } },
    spec: {
      project: 'default',
      source: { repoURL: repo.url, path, ...extraSource },
      destination: { server: 'https://kubernetes.default.svc', namespace: destination },
      syncPolicy: { automated: { prune: true }, syncOptions: ['CreateNamespace=true'] },
    },
  });
}

beforeAll(async () => {
  await installCrd();
  await installArgoCdCrds();
  await createNamespace(kc, argocdNs);
  // Its own namespace protected, as the controller runs by default: child Applications may still go there.
  controller = await startController({ namespace: argocdNs, name: 'argocd-app-of-apps', argocd: true, protectedNamespaces: [argocdNs] });
});
afterAll(async () => {
  await controller?.stop();
  kubectl('label', 'nodes', '--all', `${gate}-`);
  for (const ns of [argocdNs, ...Object.values(dests)]) await deleteNamespace(kc, ns);
  repo.destroy();
});

describe('app of apps in Argo CD\'s format', () => {
  it('syncs three child Applications (directory, Kustomize, Helm) wave by wave', async () => {
    repo.write('a/migrate.json', JSON.stringify({
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', annotations: { 'argocd.argoproj.io/hook': 'PreSync' } },
      spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', nodeSelector: { [gate]: 'open' }, containers: [{ name: 'main', image: 'busybox' }] } } },
    }));
    repo.write('a/settings.yaml', configMap('dir-settings'));
    repo.write('b/kustomization.yaml', 'namePrefix: kz-\nresources:\n  - settings.yaml\n').write('b/settings.yaml', configMap('settings'));
    repo.write('c/Chart.yaml', 'apiVersion: v2\nname: greeter\nversion: 0.1.0\n')
      .write('c/values.yaml', 'greeting: hello\n')
      .write('c/templates/settings.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-settings\ndata:\n  greeting: {{ .Values.greeting | quote }}\n');
    repo.write('root/a.json', child('child-a', '0', 'a', dests.a))
      .write('root/b.json', child('child-b', '1', 'b', dests.b))
      .write('root/c.json', child('child-c', '2', 'c', dests.c, { helm: { releaseName: 'greeter', parameters: [{ name: 'greeting', value: 'hi' }] } }));
    repo.commit('an app of apps');
    kubectlApply({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'root', namespace: argocdNs },
      spec: {
        project: 'default', source: { repoURL: repo.url, path: 'root' },
        destination: { server: 'https://kubernetes.default.svc', namespace: argocdNs },
        syncPolicy: { automated: { prune: true } },
      },
    });

    // Wave 0's child waits on its PreSync hook: wave 1's child is not created meanwhile.
    await eventually('child-a to wait on its hook', () => {
      const app = exists(argocdNs, 'applications.argoproj.io', 'child-a') ? argoApp(argocdNs, 'child-a') : undefined;
      return Promise.resolve(app?.status?.operationState?.phase === 'Running' ? true : undefined);
    }, 90_000);
    expect(argoApp(argocdNs, 'root').status?.operationState?.phase).toBe('Running');
    expect(exists(argocdNs, 'applications.argoproj.io', 'child-b')).toBe(false);
    expect(exists(argocdNs, 'applications.argoproj.io', 'child-c')).toBe(false);

    kubectl('label', '--overwrite', 'nodes', '--all', `${gate}=open`);
    await eventually('all three children and the parent to be Synced and Healthy', () =>
      Promise.resolve(['child-a', 'child-b', 'child-c', 'root'].every(syncedHealthy) ? true : undefined), 180_000);
    expect(argoApp(argocdNs, 'root').status?.operationState?.phase).toBe('Succeeded');
    expect(exists(dests.a, 'configmap', 'dir-settings')).toBe(true);
    expect(exists(dests.b, 'configmap', 'kz-settings')).toBe(true);
    expect(kubectl('-n', dests.c, 'get', 'configmap', 'greeter-settings', '-o', 'jsonpath={.data.greeting}')).toBe('hi');
    const table = kubectl('-n', argocdNs, 'get', 'applications.argoproj.io');
    for (const name of ['child-a', 'child-b', 'child-c', 'root']) expect(table).toMatch(new RegExp(`${name}\\s+Synced\\s+Healthy`));
    // Each child is tracked as the parent's object, Argo CD's way.
    expect(kubectl('-n', argocdNs, 'get', 'applications.argoproj.io', 'child-b', '-o', 'jsonpath={.metadata.annotations.argocd\\.argoproj\\.io/tracking-id}'))
      .toBe(`root:argoproj.io/Application:${argocdNs}/child-b`);
    expect(argoApp(argocdNs, 'child-c').status?.['sourceType']).toBe('Helm');
    expect(argoApp(argocdNs, 'child-b').status?.['sourceType']).toBe('Kustomize');
  });
});
