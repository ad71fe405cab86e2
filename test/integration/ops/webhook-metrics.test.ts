// Issue 4, acceptance 1, 5 and 6: a signed push gets the app synced without waiting for the poll
// interval, a badly signed one is refused; /metrics exposes the controller's series; a drift
// Event names the field manager that caused it.
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import { freePorts } from '../../cluster/ports.js';
import { Apps, installCrd, isSyncedHealthy, kubectl } from '../support/capstan.js';
import { ControllerProcess } from '../support/controller-process.js';
import { TestRepo } from '../support/git-repo.js';
import { createNamespace, deleteNamespace, eventually, testKubeConfig, uniqueName } from '../support/kube.js';
import { configMap, deployment } from '../support/manifests.js';
import { handledRefresh } from '../support/settle.js';

const kc = testKubeConfig();
const ns = uniqueName('hooks');
const dest = uniqueName('hooks-dest');
const repo = new TestRepo();
const cacheDir = mkdtempSync(join(tmpdir(), 'capstan-hooks-'));
const apps = new Apps(kc, ns);
const secret = 'push-secret-42';
let controller: ControllerProcess;
let webhookUrl = '';
let metricsUrl = '';

function githubPush(after: string): string {
  return JSON.stringify({
    ref: 'refs/heads/main', before: '0'.repeat(40), after,
    repository: { full_name: 'acme/apps', clone_url: repo.url, ssh_url: 'git@example.invalid:acme/apps.git', html_url: 'https://example.invalid/acme/apps' },
    sender: { login: 'octocat' }, pusher: { name: 'octocat' },
  });
}

let deliveries = 0;

async function post(body: string, signature: string): Promise<{ status: number; json: unknown }> {
  deliveries += 1;
  const res = await fetch(webhookUrl, {
    method: 'POST', body,
    headers: { 'Content-Type': 'application/json', 'X-GitHub-Event': 'push', 'X-GitHub-Delivery': `delivery-${deliveries}`, 'X-Hub-Signature-256': signature },
  });
  return { status: res.status, json: await res.json() };
}

const sign = (body: string, key: string): string => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;

beforeAll(async () => {
  await installCrd();
  await createNamespace(kc, ns);
  await kc.makeApiClient(CoreV1Api).createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'capstan-webhook' }, stringData: { github: secret } } });
  const [webhookPort, metricsPort] = await freePorts(2);
  webhookUrl = `http://127.0.0.1:${webhookPort ?? 0}/api/webhook`;
  metricsUrl = `http://127.0.0.1:${metricsPort ?? 0}`;
  controller = new ControllerProcess({
    namespace: ns, name: 'webhook-metrics', cacheDir, interval: '10m',
    extraArgs: ['--webhook-addr', `127.0.0.1:${webhookPort ?? 0}`, '--metrics-addr', `127.0.0.1:${metricsPort ?? 0}`],
  });
  await eventually('the controller to be ready', async () => ((await fetch(`${metricsUrl}/readyz`)).status === 200 ? true : undefined), 30_000);
});

afterAll(async () => {
  await apps.delete('hooked', { wait: true }).catch(() => undefined);
  controller.kill('SIGTERM');
  await Promise.race([controller.exited, new Promise((r) => setTimeout(r, 15_000))]);
  await controller.ensureStopped();
  await deleteNamespace(kc, ns);
  await deleteNamespace(kc, dest);
  repo.destroy();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('webhooks', () => {
  it('syncs a new commit on a signed GitHub push without waiting for the poll, and refuses a wrong signature', async () => {
    repo.write('app/settings.yaml', configMap('settings', { version: '1' }));
    repo.write('app/web.yaml', deployment('web', { replicas: 1 }));
    const first = repo.commit('v1');
    await apps.create('hooked', { repoURL: repo.url, path: 'app', destinationNamespace: dest, interval: '10m' });
    await apps.waitFor('hooked', 'Synced at v1', (a) => a.status?.sync?.revision === first && isSyncedHealthy(a));

    // A badly signed push refreshes nothing. A refresh it caused would be recorded in
    // status.lastRefresh by the app's next reconcile at the latest: here, the one a refresh
    // annotation runs (which is why the next commit is made only after it).
    const forgedBody = githubPush(first);
    const forged = await post(forgedBody, sign(forgedBody, 'not-the-secret'));
    expect(forged.status).toBe(401);
    const unrefreshed = await handledRefresh(apps, 'hooked');
    expect(unrefreshed.status?.lastRefresh).toBeUndefined();
    expect(unrefreshed.status?.sync?.revision).toBe(first);

    repo.write('app/settings.yaml', configMap('settings', { version: '2' }));
    const second = repo.commit('v2');
    const body = githubPush(second);
    const accepted = await post(body, sign(body, secret));
    expect(accepted).toEqual({ status: 200, json: { queued: [`${ns}/hooked`] } });
    // The poll interval is 10 minutes: only the push can bring v2 within the wait.
    await apps.waitFor('hooked', 'Synced at v2', (a) => a.status?.sync?.revision === second && a.status.sync.status === 'Synced', 20_000);
    const cm = await kc.makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: 'settings', namespace: dest });
    expect(cm.data).toEqual({ version: '2' });
    const refreshed = (await apps.events('hooked')).find((e) => e.reason === 'Refreshed');
    expect(refreshed?.message).toContain('github push to refs/heads/main');
    expect(refreshed?.message).toContain('octocat');
    expect(refreshed?.message).toContain(`now at ${second.slice(0, 7)}`);
    expect((await apps.mustGet('hooked')).status?.lastRefresh?.reason).toContain('github push to refs/heads/main');

    const unknownBody = JSON.stringify({ ...JSON.parse(githubPush(second)) as object, repository: { clone_url: 'https://example.invalid/other/repo.git' } });
    expect(await post(unknownBody, sign(unknownBody, secret))).toEqual({ status: 200, json: { queued: [] } });
  });

  it('names the field manager that caused a drift in the DriftCorrected Event', async () => {
    kubectl('-n', dest, 'patch', 'deployment', 'web', '--type', 'merge', '-p', '{"spec":{"replicas":3}}');
    const event = await eventually('a DriftCorrected Event', async () =>
      (await apps.events('hooked')).find((e) => e.reason === 'DriftCorrected'), 20_000);
    expect(event.message).toBe('Deployment/web: spec.replicas changed by kubectl-patch; restored');
  });

  it('exposes the controller series on /metrics after a sync', async () => {
    const text = await (await fetch(`${metricsUrl}/metrics`)).text();
    const has = (pattern: RegExp): void => {
      expect(text).toMatch(pattern);
    };
    has(/^capstan_reconcile_duration_seconds_count\{outcome="success"\} [1-9]/m);
    has(/^capstan_syncs_total\{result="succeeded"\} [1-9]/m);
    has(new RegExp(`^capstan_app_info\\{namespace="${ns}",name="hooked",sync_status="Synced",health_status="(Healthy|Progressing)"\\} 1`, 'm'));
    has(/^capstan_git_requests_total\{kind="ls-remote",result="success"\} [1-9]/m);
    has(/^capstan_git_request_duration_seconds_count\{kind="ls-remote"\} [1-9]/m);
    has(/^capstan_workqueue_depth \d+/m);
    has(/^capstan_workqueue_latency_seconds_count [1-9]/m);
    has(/^capstan_kube_api_requests_total\{verb="patch",code="200"\} [1-9]/m);
    has(/^capstan_kube_api_requests_total\{verb="watch",code="200"\} [1-9]/m);
    has(/^process_resident_memory_bytes \d+/m);
    expect((await fetch(`${metricsUrl}/healthz`)).status).toBe(200);
  });
});
