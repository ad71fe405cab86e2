// The controller's own Deployment from deploy/, run as two processes: the standby answers
// /readyz 200 (and hands a push it receives to the leader); a leader whose renewals are made to
// hang stops applying before the standby takes over (no object written by both).
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import yaml from 'js-yaml';
import type { KubeObject } from '../../../src/api/object.js';
import { repoRoot } from '../../cluster/paths.js';
import { freePorts } from '../../cluster/ports.js';
import { ApiProxy, isLeaseRequest } from '../support/api-proxy.js';
import { Apps, installCrd, isSyncedHealthy, kubectl } from '../support/capstan.js';
import { ControllerProcess } from '../support/controller-process.js';
import { installDeployRbac, serviceAccountKubeconfig } from '../support/deploy-rbac.js';
import { TestRepo } from '../support/git-repo.js';
import { createNamespace, deleteNamespace, eventually, testKubeConfig, uniqueName } from '../support/kube.js';
import { configMap } from '../support/manifests.js';

const kc = testKubeConfig();
const ns = uniqueName('fencing');
const dest = uniqueName('fencing-dest');
const work = mkdtempSync(join(tmpdir(), 'capstan-fencing-'));
const repo = new TestRepo();
const apps = new Apps(kc, ns);
const appKey = `${ns}/fenced`;
const webhookSecret = 'fencing-push-secret';
// Short lease timings, in the ratio of the defaults: a leader steps down 2 s before a standby may take over.
const leaseFlags = ['--lease-duration=6s', '--renew-deadline=4s', '--retry-period=1s'];

interface Replica {
  readonly process: ControllerProcess;
  readonly metricsUrl: string;
  readonly webhookUrl: string;
}

const replicas: Replica[] = [];
let removeRbac: (() => void) | undefined;
let proxy: ApiProxy | undefined;
let a: Replica;
let b: Replica;
let desired = '1';

/** The container args of deploy/'s Deployment, with this test's namespace, loopback ports and cache directory. */
function deployArgs(ports: { metrics: number; webhook: number }, cacheDir: string): string[] {
  const objects = yaml.loadAll(kubectl('kustomize', join(repoRoot, 'deploy'))) as KubeObject[];
  const deployment = objects.find((o) => o.kind === 'Deployment') as (KubeObject & { spec: { template: { spec: { containers: { args?: string[] }[] } } } }) | undefined;
  const args = deployment?.spec.template.spec.containers[0]?.args ?? [];
  expect(args).toContain('--leader-elect');
  return args.map((arg) => {
    const flag = arg.split('=', 1)[0];
    switch (flag) {
      case '--namespace': return `--namespace=${ns}`;
      case '--metrics-addr': return `--metrics-addr=127.0.0.1:${ports.metrics}`;
      case '--webhook-addr': return `--webhook-addr=127.0.0.1:${ports.webhook}`;
      case '--cache-dir': return `--cache-dir=${cacheDir}`;
      default:
        if (arg.includes('$(')) throw new Error(`deploy/ passes ${arg}, which this test does not know how to substitute`);
        return arg;
    }
  });
}

async function replica(name: string, kubeconfig: string): Promise<Replica> {
  const [metrics = 0, webhook = 0] = await freePorts(2);
  const cacheDir = join(work, name);
  const process = new ControllerProcess({ namespace: ns, name, cacheDir, kubeconfig, extraArgs: [...deployArgs({ metrics, webhook }, cacheDir), ...leaseFlags] });
  const r = { process, metricsUrl: `http://127.0.0.1:${metrics}`, webhookUrl: `http://127.0.0.1:${webhook}/api/webhook` };
  replicas.push(r);
  return r;
}

async function readyz(r: Replica): Promise<number> {
  return fetch(`${r.metricsUrl}/readyz`).then((res) => res.status, () => 0);
}

function identityOf(r: Replica): string | undefined {
  const line = r.process.logLines().find((l) => l.msg === 'waiting for leadership');
  return typeof line?.['identity'] === 'string' ? line['identity'] : undefined;
}

function lease(): { holder: string; acquiredAt: number } {
  const spec = (JSON.parse(kubectl('-n', ns, 'get', 'lease', 'capstan-controller', '-o', 'json')) as { spec?: { holderIdentity?: string; acquireTime?: string } }).spec;
  return { holder: spec?.holderIdentity ?? '', acquiredAt: Date.parse(spec?.acquireTime ?? '') };
}

async function settingsVersion(): Promise<string | undefined> {
  const cm = await kc.makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: 'settings', namespace: dest });
  return cm.data?.['version'];
}

beforeAll(async () => {
  await installCrd();
  await createNamespace(kc, ns);
  removeRbac = await installDeployRbac(ns, ns);
  await kc.makeApiClient(CoreV1Api).createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'capstan-webhook' }, stringData: { generic: webhookSecret } } });
  const kubeconfig = await serviceAccountKubeconfig(ns, 'capstan-controller', join(work, 'kubeconfig'));
  proxy = await ApiProxy.start(kubeconfig);
  // A reaches the API server through the proxy, B directly; both as deploy/'s ServiceAccount.
  a = await replica('fencing-a', proxy.writeKubeconfig(join(work, 'proxy-kubeconfig')));
  await eventually('A to lead', () => Promise.resolve(a.process.firstLog('controller started') !== undefined ? true : undefined), 60_000);
  b = await replica('fencing-b', kubeconfig);
  await eventually('B to stand by', () => Promise.resolve(identityOf(b)));

  repo.write('app/settings.yaml', configMap('settings', { version: desired }));
  const v1 = repo.commit('v1');
  // A poll interval of 10 minutes: within the test, only a webhook or a watch moves the app.
  await apps.create('fenced', { repoURL: repo.url, path: 'app', destinationNamespace: dest, interval: '10m' });
  await apps.waitFor('fenced', 'Synced at v1', (app) => app.status?.sync?.revision === v1 && isSyncedHealthy(app));
});

afterAll(async () => {
  for (const r of replicas) await r.process.ensureStopped();
  await proxy?.close();
  for (const app of await apps.list().catch(() => [])) {
    kubectl('-n', ns, 'patch', 'capp', app, '--type', 'json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]');
  }
  removeRbac?.();
  for (const n of [dest, ns]) await deleteNamespace(kc, n);
  repo.destroy();
  rmSync(work, { recursive: true, force: true });
});

describe('the deploy/ Deployment as two replicas', () => {
  it('has a Ready standby that hands a signed push to the leader', async () => {
    await eventually('B to answer /readyz 200', async () => ((await readyz(b)) === 200 ? true : undefined), 30_000);
    // ...while it stands by: A holds the lease, and B never led.
    expect(lease().holder).toBe(identityOf(a));
    expect(b.process.firstLog('became leader')).toBeUndefined();
    expect(await readyz(a)).toBe(200);

    desired = '2';
    repo.write('app/settings.yaml', configMap('settings', { version: desired }));
    const v2 = repo.commit('v2');
    const body = JSON.stringify({ repoURL: repo.url, revision: v2, ref: 'refs/heads/main', sender: 'fencing-test' });
    const signature = `sha256=${createHmac('sha256', webhookSecret).update(body).digest('hex')}`;
    const res = await fetch(b.webhookUrl, { method: 'POST', body, headers: { 'Content-Type': 'application/json', 'X-Capstan-Signature': signature } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ queued: [appKey] });
    // The leader acts on it (nothing else would within the poll interval) and removes the annotation.
    await apps.waitFor('fenced', 'Synced at v2 through the standby', (app) => app.status?.sync?.revision === v2 && app.status.sync.status === 'Synced', 30_000);
    await apps.waitFor('fenced', 'the refresh annotation handled', (app) => app.metadata.annotations?.['capstan.dev/refresh'] === undefined, 30_000);
    expect(await settingsVersion()).toBe(desired);
    expect(b.process.firstLog('became leader')).toBeUndefined();
    const wrong = await fetch(b.webhookUrl, { method: 'POST', body, headers: { 'Content-Type': 'application/json', 'X-Capstan-Signature': 'sha256=00' } });
    expect(wrong.status).toBe(401);
  });

  it('stops a leader whose renewals hang from applying before the standby takes over', async () => {
    const aIdentity = identityOf(a);
    const bIdentity = identityOf(b);
    expect(lease().holder).toBe(aIdentity);
    const activeProxy = proxy;
    if (activeProxy === undefined) throw new Error('no proxy');
    activeProxy.holdLeaseRequests();

    // Drift, wait until it is healed, drift again: until B leads and has healed drift made after it took over.
    const drifts: { value: string; at: number }[] = [];
    for (let i = 1; ; i++) {
      if (i > 200) throw new Error('B never healed drift after taking over');
      const value = `drift-${i}`;
      drifts.push({ value, at: Date.now() });
      kubectl('-n', dest, 'patch', 'configmap', 'settings', '--type', 'merge', '-p', JSON.stringify({ data: { version: value } }));
      await eventually(`drift ${i} to be healed`, async () => ((await settingsVersion()) === desired ? true : undefined), 60_000, 100);
      const now = lease();
      if (now.holder === bIdentity && (drifts.at(-1)?.at ?? 0) > now.acquiredAt) break;
    }
    const { acquiredAt: bAcquiredAt } = lease();
    expect(activeProxy.heldLeaseRequests).toBeGreaterThan(0);

    // Every write A made, other than to its Lease, happened before B acquired the lease.
    const aWrites = activeProxy.writes().filter((w) => !isLeaseRequest(w.path));
    expect(aWrites.length).toBeGreaterThan(0);
    expect(aWrites.filter((w) => w.at >= bAcquiredAt)).toEqual([]);

    // A knew it had lost the lease, and went away with a failure.
    expect(a.process.logLines().some((l) => l.msg === 'lost the lease: stopping')).toBe(true);
    const exit = await Promise.race([a.process.exited, delay(30_000, 'still running', { ref: false })]);
    expect(exit).toBe(1);

    // B healed the last drift, made after it took over, and synced only as leader.
    expect(drifts.at(-1)?.at ?? 0).toBeGreaterThan(bAcquiredAt);
    expect(await settingsVersion()).toBe(desired);
    const bSyncs = b.process.logLines().filter((l) => l.msg === 'syncing').map((l) => l.time ?? 0);
    expect(bSyncs.length).toBeGreaterThan(0);
    expect(Math.min(...bSyncs)).toBeGreaterThanOrEqual(bAcquiredAt);
  });
});
