// Acceptance 11: a controller killed in the middle of a sync is replaced, and the new one
// converges to Synced without duplicating or losing objects.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { Apps, installCrd, isSyncedHealthy, kubectl } from '../support/capstan.js';
import { ControllerProcess } from '../support/controller-process.js';
import { TestRepo } from '../support/git-repo.js';
import { createNamespace, deleteNamespace, eventually, testKubeConfig, uniqueName } from '../support/kube.js';
import { configMap, deployment } from '../support/manifests.js';

const kc = testKubeConfig();
const ns = uniqueName('restart');
const dest = uniqueName('restart-dest');
const repo = new TestRepo();
const cacheDir = mkdtempSync(join(tmpdir(), 'capstan-restart-'));
const gateLabel = `capstan.dev/test-gate-${ns}`;
const processes: ControllerProcess[] = [];
const apps = new Apps(kc, ns);

function start(name: string): ControllerProcess {
  const p = new ControllerProcess({ namespace: ns, name, cacheDir, interval: '2s' });
  processes.push(p);
  return p;
}

beforeAll(async () => {
  await installCrd();
  await createNamespace(kc, ns);
});
afterAll(async () => {
  start('restart-cleanup'); // deletes the app's objects through the finalizer
  await apps.delete('gated', { wait: true }).catch(() => undefined);
  for (const p of processes) await p.ensureStopped();
  kubectl('label', 'nodes', '--all', `${gateLabel}-`);
  await deleteNamespace(kc, ns);
  await deleteNamespace(kc, dest);
  repo.destroy();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('controller restart', () => {
  it('converges after the controller is killed between two sync waves', async () => {
    // Wave 0 waits on a Deployment that cannot schedule until a node gets the gate label.
    const gate = deployment('gate', { annotations: { 'capstan.dev/sync-wave': '0' } })
      .replace('    spec:\n      containers:', `    spec:\n      nodeSelector:\n        ${gateLabel}: open\n      containers:`);
    repo.write('app/gate.yaml', gate);
    repo.write('app/web.yaml', deployment('web', { annotations: { 'capstan.dev/sync-wave': '1' } }));
    repo.write('app/settings.yaml', configMap('settings', { wave: 'one' }, { 'capstan.dev/sync-wave': '1' }));
    const sha = repo.commit('two waves');
    const first = start('restart-first');
    await apps.create('gated', { repoURL: repo.url, path: 'app', destinationNamespace: dest, interval: '2s' });

    const core = kc.makeApiClient(CoreV1Api);
    const appsApi = kc.makeApiClient(AppsV1Api);
    await eventually('wave 0 applied', () => appsApi.readNamespacedDeployment({ name: 'gate', namespace: dest }).then(() => true), 60_000);
    // The sync is between its waves: its operation runs, and wave 0 cannot become healthy
    // (the scheduler found no node for the gate's pod), so wave 1 must wait.
    await apps.waitFor('gated', 'the sync to be running', (a) => a.status?.operationState?.phase === 'Running' && a.status.operationState.revision === sha);
    await eventually('the gate pod to be unschedulable', async () => {
      const pods = (await core.listNamespacedPod({ namespace: dest, labelSelector: 'app=gate' })).items;
      const unschedulable = pods.some((p) => p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable'));
      return unschedulable ? true : undefined;
    });
    const settings = await core.readNamespacedConfigMap({ name: 'settings', namespace: dest }).then(() => true, () => false);
    expect(settings).toBe(false); // the sync is waiting between waves

    first.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    start('restart-second');
    kubectl('label', '--overwrite', 'nodes', '--all', `${gateLabel}=open`);

    const app = await apps.waitFor('gated', 'Synced and Healthy after the restart', (a) => a.status?.sync?.revision === sha && isSyncedHealthy(a), 90_000);
    expect(app.status?.operationState?.phase).toBe('Succeeded');
    expect(app.status?.history).toHaveLength(1);
    const deployments = (await appsApi.listNamespacedDeployment({ namespace: dest })).items.map((d) => d.metadata?.name).sort();
    expect(deployments).toEqual(['gate', 'web']);
    const configMaps = (await core.listNamespacedConfigMap({ namespace: dest })).items.map((c) => c.metadata?.name).sort();
    expect(configMaps).toEqual(['kube-root-ca.crt', 'settings']);
    const replicaSets = (await appsApi.listNamespacedReplicaSet({ namespace: dest })).items;
    expect(replicaSets).toHaveLength(2); // one rollout each: nothing was re-created
  });
});
