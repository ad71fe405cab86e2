// Argo CD compatibility mode (issue 16, first part of acceptance 1 and 2): `capstan controller
// --argocd-compat` reconciles an Argo CD Application in Argo CD's format. Objects Argo CD applied
// earlier (its tracking annotation, as Argo CD sets it) are adopted with no write when they equal
// Git; an object Argo CD would prune is pruned; what Capstan creates carries Argo CD's tracking and
// nothing of Capstan's; `kubectl get applications.argoproj.io` shows Synced and Healthy; Argo CD's
// refresh annotation, operation field, argocd-cm health checks and argocd-notifications-cm are used.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { argoApp, installArgoCdCrds } from '../support/argocd.js';
import { installCrd, kubectl, kubectlApply, startController, type RunningController } from '../support/capstan.js';
import { TestRepo } from '../support/git-repo.js';
import { createNamespace, deleteNamespace, eventually, testKubeConfig, uniqueName } from '../support/kube.js';
import { configMap, deployment } from '../support/manifests.js';
import { startReceiver, type Receiver } from '../support/receivers.js';
import { verifySignature } from '../../../src/notifications/signature.js';

const kc = testKubeConfig();
const argocdNs = uniqueName('argocd');
const dest = uniqueName('guestbook');
// An Application namespace outside Argo CD's ("apps in any namespace"), named by a glob only it matches.
const teamNs = uniqueName('team');
const repo = new TestRepo();
let controller: RunningController | undefined;
let receiver: Receiver;
const hmacKey = 'argo-notifications-key';

const trackingId = (group: string, kind: string, name: string): string => `guestbook:${group}/${kind}:${dest}/${name}`;
const get = (kind: string, name: string): { metadata: { resourceVersion: string; labels?: Record<string, string>; annotations?: Record<string, string> } } | undefined => {
  const out = kubectl('-n', dest, 'get', kind, name, '--ignore-not-found', '-o', 'json').trim();
  return out === '' ? undefined : JSON.parse(out) as { metadata: { resourceVersion: string } };
};

beforeAll(async () => {
  await installCrd();
  await installArgoCdCrds();
  await createNamespace(kc, argocdNs);
  await createNamespace(kc, dest);
  await createNamespace(kc, teamNs);
  kubectlApply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cmd-params-cm', namespace: argocdNs }, data: { 'application.namespaces': `${teamNs.slice(0, -1)}?` } });
  // Argo CD's notifications, read when the controller starts: a signed webhook, its key in Argo CD's Secret.
  receiver = await startReceiver();
  kubectlApply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'argocd-notifications-secret', namespace: argocdNs }, stringData: { hmac: hmacKey } });
  kubectlApply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-notifications-cm', namespace: argocdNs }, data: { 'service.webhook.hook': `url: ${receiver.url}/argo\nsecret: $hmac\n` } });
  // Argo CD's settings, read when the controller starts: a health check in Lua for ConfigMaps.
  kubectlApply({
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: argocdNs },
    data: {
      'resource.customizations.health.ConfigMap': [
        'hs = {}',
        'if obj.data ~= nil and obj.data.health == "bad" then',
        '  hs.status = "Degraded"',
        '  hs.message = "the settings say they are bad"',
        'else',
        '  hs.status = "Healthy"',
        'end',
        'return hs',
      ].join('\n'),
    },
  });
});
afterAll(async () => {
  await controller?.stop();
  await receiver.close();
  await deleteNamespace(kc, argocdNs);
  await deleteNamespace(kc, dest);
  await deleteNamespace(kc, teamNs);
  repo.destroy();
});

describe('Argo CD compatibility mode', () => {
  it('takes over an Argo CD Application: adopts what equals Git without a write, prunes what Git dropped, reports in Argo CD\'s format', async () => {
    repo.write('guestbook/settings.yaml', configMap('settings', { mode: 'blue' })).write('guestbook/web.yaml', deployment('web'));
    const revision = repo.commit('guestbook');
    // What Argo CD left: the settings as Git has them, and an object Git no longer declares, both tracked by the app.
    kubectlApply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: dest, annotations: { 'argocd.argoproj.io/tracking-id': trackingId('', 'ConfigMap', 'settings') } }, data: { mode: 'blue' } });
    kubectlApply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'retired', namespace: dest, annotations: { 'argocd.argoproj.io/tracking-id': trackingId('', 'ConfigMap', 'retired') } }, data: { old: 'yes' } });
    // Another app's object and an untracked one: never touched.
    kubectlApply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other', namespace: dest, annotations: { 'argocd.argoproj.io/tracking-id': `other:/ConfigMap:${dest}/other` } }, data: { a: 'b' } });
    kubectlApply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'untracked', namespace: dest }, data: { a: 'b' } });
    const before = { settings: get('configmap', 'settings')?.metadata.resourceVersion, other: get('configmap', 'other')?.metadata.resourceVersion, untracked: get('configmap', 'untracked')?.metadata.resourceVersion };

    controller = await startController({ namespace: argocdNs, name: 'argocd-compat', argocd: true });
    kubectlApply({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'guestbook', namespace: argocdNs },
      spec: {
        project: 'default',
        source: { repoURL: repo.url, path: 'guestbook', targetRevision: 'HEAD' },
        destination: { server: 'https://kubernetes.default.svc', namespace: dest },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    });

    const synced = await eventually('the Argo CD Application to be Synced and Healthy', () => {
      const app = argoApp(argocdNs, 'guestbook');
      return Promise.resolve(app.status?.sync?.status === 'Synced' && app.status.health?.status === 'Healthy' && app.status.sync.revision === revision ? app : undefined);
    }, 120_000);
    expect(synced.status?.operationState?.phase).toBe('Succeeded');
    expect(synced.status?.history?.map((h) => h.revision)).toEqual([revision]);
    expect(kubectl('-n', argocdNs, 'get', 'applications.argoproj.io', 'guestbook')).toMatch(/guestbook\s+Synced\s+Healthy/);
    // Capstan adds no finalizer of its own to an Argo CD Application.
    expect(synced.metadata.finalizers).toBeUndefined();

    // Adopted as it was: no write.
    expect(get('configmap', 'settings')?.metadata.resourceVersion).toBe(before.settings);
    // Created with Argo CD's tracking, none of Capstan's.
    const web = get('deployment', 'web');
    expect(web?.metadata.annotations?.['argocd.argoproj.io/tracking-id']).toBe(trackingId('apps', 'Deployment', 'web'));
    expect(web?.metadata.annotations?.['capstan.dev/tracking-id']).toBeUndefined();
    expect(web?.metadata.labels?.['app.capstan.dev/managed-by']).toBeUndefined();
    // Pruned as Argo CD would; nothing else touched.
    await eventually('the retired ConfigMap to be gone', () => Promise.resolve(get('configmap', 'retired') === undefined ? true : undefined));
    expect(get('configmap', 'other')?.metadata.resourceVersion).toBe(before.other);
    expect(get('configmap', 'untracked')?.metadata.resourceVersion).toBe(before.untracked);

    // Argo CD's refresh annotation is handled and removed; an app in sync is compared again with no write to its objects.
    const webVersion = web?.metadata.resourceVersion;
    kubectl('-n', argocdNs, 'annotate', 'applications.argoproj.io', 'guestbook', 'argocd.argoproj.io/refresh=hard');
    await eventually('the refresh to be handled', () => Promise.resolve(argoApp(argocdNs, 'guestbook').metadata.annotations?.['argocd.argoproj.io/refresh'] === undefined ? true : undefined));
    expect(argoApp(argocdNs, 'guestbook').status?.sync?.status).toBe('Synced');
    expect(get('configmap', 'settings')?.metadata.resourceVersion).toBe(before.settings);
    expect(get('deployment', 'web')?.metadata.resourceVersion).toBe(webVersion);
  });

  it("syncs a manual app on Argo CD's operation field (argocd app sync), and takes the field off", async () => {
    repo.write('manual/settings.yaml', configMap('manual-settings'));
    const revision = repo.commit('manual');
    kubectlApply({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application',
      metadata: { name: 'manual', namespace: argocdNs, annotations: { 'notifications.argoproj.io/subscribe.on-sync-succeeded.hook': '' } },
      spec: { project: 'default', source: { repoURL: repo.url, path: 'manual' }, destination: { server: 'https://kubernetes.default.svc', namespace: dest } },
    });
    await eventually('the manual app to be OutOfSync', () => Promise.resolve(argoApp(argocdNs, 'manual').status?.sync?.status === 'OutOfSync' ? true : undefined));
    expect(get('configmap', 'manual-settings')).toBeUndefined();
    kubectl('-n', argocdNs, 'patch', 'applications.argoproj.io', 'manual', '--type', 'merge', '-p',
      JSON.stringify({ operation: { initiatedBy: { username: 'alice' }, sync: { revision: 'HEAD' } } }));
    const synced = await eventually('the operation to sync the app', () => {
      const app = argoApp(argocdNs, 'manual');
      return Promise.resolve(app.status?.sync?.status === 'Synced' && app.status.operationState?.phase === 'Succeeded' ? app : undefined);
    }, 60_000);
    expect(synced.status?.sync?.revision).toBe(revision);
    expect(get('configmap', 'manual-settings')).toBeDefined();
    await eventually('the operation field to be taken off', () => Promise.resolve(
      kubectl('-n', argocdNs, 'get', 'applications.argoproj.io', 'manual', '-o', 'jsonpath={.operation}').trim() === '' ? true : undefined));
    const initiatedBy = (synced.status?.operationState as { operation?: { initiatedBy?: { username?: string } } } | undefined)?.operation?.initiatedBy;
    expect(initiatedBy?.username).toBe('alice');
    // Told through argocd-notifications-cm's webhook, signed with the key of argocd-notifications-secret.
    const told = await eventually('the webhook to hear of the sync', () => Promise.resolve(receiver.requests.find((r) => r.body.includes('"app":"manual"'))));
    expect(JSON.parse(told.body)).toMatchObject({ app: 'manual', trigger: 'on-sync-succeeded', revision });
    const signature = told.headers['x-capstan-signature'];
    expect(verifySignature(told.body, hmacKey, typeof signature === 'string' ? signature : undefined)).toBe(true);
  });

  it("assesses health with argocd-cm's health checks in Lua", async () => {
    repo.write('lua/settings.yaml', configMap('lua-settings', { health: 'bad' }));
    repo.commit('bad settings');
    kubectlApply({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'lua', namespace: argocdNs },
      spec: { project: 'default', source: { repoURL: repo.url, path: 'lua' }, destination: { server: 'https://kubernetes.default.svc', namespace: dest }, syncPolicy: { automated: {} } },
    });
    const degraded = await eventually('the app to be Degraded by the script', () => {
      const app = argoApp(argocdNs, 'lua');
      return Promise.resolve(app.status?.sync?.status === 'Synced' && app.status.health?.status === 'Degraded' ? app : undefined);
    }, 60_000);
    const resources = (degraded.status?.['resources'] ?? []) as { name: string; health?: { status?: string; message?: string } }[];
    expect(resources.find((r) => r.name === 'lua-settings')?.health).toEqual({ status: 'Degraded', message: 'the settings say they are bad' });
  });

  it('reconciles an Application in another namespace named by argocd-cmd-params-cm, under a project that allows it', async () => {
    repo.write('team/settings.yaml', configMap('team-settings'));
    repo.commit('team');
    kubectlApply({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'team', namespace: argocdNs },
      spec: { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }], sourceNamespaces: [teamNs] },
    });
    kubectlApply({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'web', namespace: teamNs },
      spec: { project: 'team', source: { repoURL: repo.url, path: 'team' }, destination: { server: 'https://kubernetes.default.svc', namespace: dest }, syncPolicy: { automated: {} } },
    });
    await eventually('the team app to be Synced', () => Promise.resolve(argoApp(teamNs, 'web').status?.sync?.status === 'Synced' ? true : undefined), 60_000);
    expect(get('configmap', 'team-settings')?.metadata.annotations?.['argocd.argoproj.io/tracking-id']).toBe(`${teamNs}_web:/ConfigMap:${dest}/team-settings`);
  });

  it('refuses an Argo CD field Capstan does not carry out (InvalidSpecError, nothing applied)', async () => {
    repo.write('informed/settings.yaml', configMap('informed'));
    repo.commit('informed');
    kubectlApply({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'informed', namespace: argocdNs },
      spec: {
        project: 'default', info: [{ name: 'owner', value: 'team-a' }],
        source: { repoURL: repo.url, path: 'informed' }, destination: { server: 'https://kubernetes.default.svc', namespace: dest },
        syncPolicy: { automated: {} },
      },
    });
    const refused = await eventually('the InvalidSpecError condition', () => {
      const app = argoApp(argocdNs, 'informed');
      const conditions = (app.status?.['conditions'] ?? []) as { type: string; message: string }[];
      return Promise.resolve(conditions.find((c) => c.type === 'InvalidSpecError'));
    });
    expect(refused.message).toContain('spec.info');
    expect(get('configmap', 'informed')).toBeUndefined();
  });

  it("deletes the app's objects on deletion under Argo CD's resources finalizer, then lets the app go", async () => {
    repo.write('finalized/settings.yaml', configMap('finalized'));
    repo.commit('finalized');
    kubectlApply({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'finalized', namespace: argocdNs, finalizers: ['resources-finalizer.argocd.argoproj.io/background'] },
      spec: { project: 'default', source: { repoURL: repo.url, path: 'finalized' }, destination: { server: 'https://kubernetes.default.svc', namespace: dest }, syncPolicy: { automated: {} } },
    });
    await eventually('the finalized app to be Synced', () => Promise.resolve(argoApp(argocdNs, 'finalized').status?.sync?.status === 'Synced' ? true : undefined));
    expect(get('configmap', 'finalized')?.metadata.annotations?.['argocd.argoproj.io/tracking-id']).toBe(`finalized:/ConfigMap:${dest}/finalized`);
    kubectl('-n', argocdNs, 'delete', 'applications.argoproj.io', 'finalized', '--wait=false');
    await eventually('the app to be gone', () => Promise.resolve(kubectl('-n', argocdNs, 'get', 'applications.argoproj.io', 'finalized', '--ignore-not-found', '-o', 'name').trim() === '' ? true : undefined), 60_000);
    expect(get('configmap', 'finalized')).toBeUndefined();
    // The other app's objects stay.
    expect(get('configmap', 'settings')).toBeDefined();
  });
});
