// Issue 13, acceptance 1: a second local control plane registered by a cluster Secret. An app
// with destination.name "stage" syncs there, an app without it to the controller's own cluster;
// with the second plane's API server stopped, only its app is Unknown (ClusterUnreachable) and
// nothing of it is pruned; started again, the app recovers by itself at its next interval.
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { Application } from '../../../src/api/application.js';
import { ControllerMetrics } from '../../../src/controller/metrics.js';
import { down, startApiserver, stopApiserver, up } from '../../cluster/launcher.js';
import { repoRoot } from '../../cluster/paths.js';
import { capstanCli, isSyncedHealthy, kubectlApply, readyCondition } from '../support/capstan.js';
import { eventually } from '../support/kube.js';
import { configMap } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';

const stageDir = join(repoRoot, '.capstan', 'cluster-stage');
// Apps are compared every 10 s: recovery comes at the next interval, without any trigger.
const metrics = new ControllerMetrics();
const s = new Scenario('clusters', { intervalMs: 10_000, metrics });
let stage: CoreV1Api;
let home: CoreV1Api;
let stageServer = '';

const b64 = (file: string): string => readFileSync(file).toString('base64');

async function configMapIn(api: CoreV1Api, namespace: string, name: string): Promise<{ uid: string; data: Record<string, string> } | undefined> {
  return api.readNamespacedConfigMap({ name, namespace }).then((cm) => ({ uid: cm.metadata?.uid ?? '', data: cm.data ?? {} }), () => undefined);
}

/** The clusters the controller holds a client set for (capstan_cluster_connected). */
async function connectedClusters(): Promise<string[]> {
  const metric = await metrics.registry.getSingleMetric('capstan_cluster_connected')?.get();
  return (metric?.values ?? []).map((v) => String(v.labels['cluster'])).sort();
}

const healthOf = (app: Application): string | undefined => app.status?.health?.status;

interface ListedCluster { name: string; server: string; version: string; reachable: string; apps: number; secret: string; problem?: string }

async function clusterList(): Promise<ListedCluster[]> {
  const { code, stdout, stderr } = await capstanCli(['cluster', 'list', '-n', s.namespace, '-o', 'json']);
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  return (JSON.parse(stdout) as { clusters: ListedCluster[] }).clusters;
}

beforeAll(async () => {
  const started = await up(stageDir, () => undefined);
  stageServer = started.state.server;
  const kc = new KubeConfig();
  kc.loadFromFile(started.state.kubeconfig);
  stage = kc.makeApiClient(CoreV1Api);
  await s.setUp();
  home = s.kc.makeApiClient(CoreV1Api);
  const pki = join(stageDir, 'pki');
  // The stage cluster as Argo CD would register it: its server, CA and a client certificate.
  kubectlApply({
    apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cluster-stage', namespace: s.namespace, labels: { 'argocd.argoproj.io/secret-type': 'cluster' } },
    stringData: {
      name: 'stage', server: stageServer,
      config: JSON.stringify({ tlsClientConfig: { caData: b64(join(pki, 'ca.crt')), certData: b64(join(pki, 'admin.crt')), keyData: b64(join(pki, 'admin.key')) } }),
    },
  });
  s.repo.write('app/settings.yaml', configMap('settings', { colour: 'blue' }));
  s.repo.write('home/settings.yaml', configMap('settings', { colour: 'blue' }));
  s.repo.commit('one config map for each app');
}, 240_000);

afterAll(async () => {
  // The stage plane answers again before apps (and their objects there) are deleted.
  await startApiserver(stageDir).catch(() => undefined);
  await s.tearDown();
  await down(stageDir);
}, 240_000);

describe('two clusters', () => {
  const onStage = s.destination('stage');
  const atHome = s.destination('home');
  let stageUid = '';

  it('an app with destination.name stage syncs to the second plane, one without it to the first', async () => {
    await s.apps.create('to-stage', { repoURL: s.repo.url, path: 'app', extraSpec: { destination: { name: 'stage', namespace: onStage } } });
    await s.apps.create('to-home', { repoURL: s.repo.url, path: 'home', destinationNamespace: atHome });
    await s.apps.waitFor('to-stage', 'Synced and Healthy on stage', isSyncedHealthy);
    await s.apps.waitFor('to-home', 'Synced and Healthy at home', isSyncedHealthy);
    const onSecond = await configMapIn(stage, onStage, 'settings');
    expect(onSecond?.data).toEqual({ colour: 'blue' });
    stageUid = onSecond?.uid ?? '';
    expect(await configMapIn(home, onStage, 'settings')).toBeUndefined();
    expect((await configMapIn(home, atHome, 'settings'))?.data).toEqual({ colour: 'blue' });
    expect(await configMapIn(stage, atHome, 'settings')).toBeUndefined();

    // A cluster whose credentials come from a command: the CLI never runs it.
    const marker = join(tmpdir(), `${s.namespace}-exec-ran`);
    kubectlApply({
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cluster-exec', namespace: s.namespace, labels: { 'capstan.dev/secret-type': 'cluster' } },
      stringData: {
        name: 'by-exec', server: 'https://127.0.0.1:1',
        config: JSON.stringify({ execProviderConfig: { command: '/bin/sh', args: ['-c', `touch ${marker}`], apiVersion: 'client.authentication.k8s.io/v1' } }),
      },
    });
    await eventually('capstan cluster list shows the exec cluster', async () => ((await clusterList()).some((c) => c.name === 'by-exec') ? true : undefined));
    const listed = await clusterList();
    expect(listed.find((c) => c.name === 'by-exec')).toMatchObject({ reachable: '<none>', problem: expect.stringContaining('which only the controller runs') });
    expect(existsSync(marker)).toBe(false);
    expect(listed.find((c) => c.name === 'stage')).toMatchObject({ server: stageServer.replace(/\/$/, ''), reachable: 'yes', version: expect.stringMatching(/^v1\./), secret: 'cluster-stage' });
    expect(listed.find((c) => c.name === 'in-cluster')).toMatchObject({ reachable: 'yes' });
    // Counted over every namespace; only this scenario names stage.
    expect(listed.find((c) => c.name === 'stage')?.apps).toBe(1);
    expect(JSON.stringify(listed)).not.toContain(b64(join(stageDir, 'pki', 'admin.key')).slice(0, 40));
  }, 120_000);

  it('with the second plane down only its app is Unknown (ClusterUnreachable); nothing is pruned', async () => {
    await stopApiserver(stageDir);
    const unknown = await s.apps.waitFor('to-stage', 'ClusterUnreachable, health Unknown', (a) => readyCondition(a)?.reason === 'ClusterUnreachable' && healthOf(a) === 'Unknown', 90_000);
    expect(readyCondition(unknown)?.message).toContain(`cluster stage (${stageServer.replace(/\/$/, '')}) does not answer`);
    expect(unknown.status?.sync?.status).toBe('Unknown');
    const unreachable = await eventually('a Warning Event ClusterUnreachable', async () => (await s.apps.events('to-stage')).find((e) => e.type === 'Warning' && e.reason === 'ClusterUnreachable'));
    expect(unreachable.message).toContain('stage');
    expect((await clusterList()).find((c) => c.name === 'stage')).toMatchObject({ reachable: 'no', problem: expect.stringContaining('ECONNREFUSED') });
    // The other app goes on: a change in Git reaches its cluster while stage is down.
    s.repo.write('home/settings.yaml', configMap('settings', { colour: 'green' }));
    const green = s.repo.commit('home turns green');
    await eventually('the home ConfigMap turned green', async () => ((await configMapIn(home, atHome, 'settings'))?.data['colour'] === 'green' ? true : undefined), 60_000);
    await s.apps.waitFor('to-home', 'Synced and Healthy at the new commit', (a) => isSyncedHealthy(a) && a.status?.sync?.revision === green, 60_000);
  }, 180_000);

  it('started again, the app recovers by itself at its next interval, its objects untouched', async () => {
    await startApiserver(stageDir);
    const back = await s.apps.waitFor('to-stage', 'Synced and Healthy again', isSyncedHealthy, 90_000);
    expect(readyCondition(back)?.reason).toBe('Synced');
    expect(back.status?.health?.status).toBe('Healthy');
    // The object on stage was never deleted and made again.
    expect((await configMapIn(stage, onStage, 'settings'))?.uid).toBe(stageUid);
  }, 180_000);

  it('a cluster Secret with namespaces reaches only those: objects elsewhere are refused, nothing applied; inside they sync', async () => {
    const team = s.destination('team');
    const elsewhere = s.destination('elsewhere');
    await stage.createNamespace({ body: { metadata: { name: team } } });
    const pki = join(stageDir, 'pki');
    kubectlApply({
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cluster-stage-team', namespace: s.namespace, labels: { 'capstan.dev/secret-type': 'cluster' } },
      stringData: {
        name: 'stage-team', server: stageServer, namespaces: team,
        config: JSON.stringify({ tlsClientConfig: { caData: b64(join(pki, 'ca.crt')), certData: b64(join(pki, 'admin.crt')), keyData: b64(join(pki, 'admin.key')) } }),
      },
    });
    await s.apps.create('team-inside', { repoURL: s.repo.url, path: 'app', syncOptions: [], extraSpec: { destination: { name: 'stage-team', namespace: team } } });
    await s.apps.create('team-outside', { repoURL: s.repo.url, path: 'app', extraSpec: { destination: { name: 'stage-team', namespace: elsewhere } } });
    await s.apps.waitFor('team-inside', 'Synced and Healthy in its namespace', isSyncedHealthy);
    expect((await configMapIn(stage, team, 'settings'))?.data).toEqual({ colour: 'blue' });
    const refused = await s.apps.waitFor('team-outside', 'OutsideClusterScope', (a) => readyCondition(a)?.reason === 'OutsideClusterScope');
    expect(readyCondition(refused)?.message).toContain(`ConfigMap ${elsewhere}/settings is in namespace ${elsewhere}`);
    expect(readyCondition(refused)?.message).toContain(`the Secret of cluster stage-team reaches only namespaces ${team}; nothing was applied`);
    expect(await stage.readNamespace({ name: elsewhere }).then(() => true, () => false)).toBe(false);
  }, 120_000);

  it('deleting the apps of a cluster deletes their objects there, and closes its connections and watches', async () => {
    expect(await connectedClusters()).toEqual(['stage', 'stage-team']);
    await Promise.all(['to-stage', 'team-inside', 'team-outside'].map((name) => s.apps.delete(name, { wait: true })));
    expect(await configMapIn(stage, onStage, 'settings')).toBeUndefined();
    await eventually('no client set for stage or stage-team', async () => ((await connectedClusters()).length === 0 ? true : undefined));
    // The app of the controller's own cluster is untouched.
    const home = await s.apps.get('to-home');
    expect(home !== undefined && isSyncedHealthy(home)).toBe(true);
  }, 180_000);
});
