// `capstan dashboard` in local mode, in a real browser (Debian's Chromium through playwright-core),
// against the real control plane and a controller: the printed URL signs in; the list shows the
// apps and turns a drifted one OutOfSync without a reload; the app view shows Deployment →
// ReplicaSet → Pods, the Deployment's manifest and the drifted field in its diff; Sync and a
// rollback from the page change the cluster. It writes the README's screenshots.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { repoRoot } from '../../cluster/paths.js';
import { launchBrowser } from '../support/browser.js';
import type { AppDiff } from '../../../src/dashboard/api-types.js';
import { capstanCli, isSyncedHealthy, kubectl } from '../support/capstan.js';
import { startDashboard, type RunningDashboard } from '../support/dashboard.js';
import { eventually } from '../support/kube.js';
import { configMap, deployment, secret } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';

const s = new Scenario('dashlocal', { intervalMs: 600_000 });
const dest = s.destination('dashweb');
const screenshots = join(repoRoot, 'docs', 'screenshots');
const cacheDir = mkdtempSync(join(tmpdir(), 'capstan-dash-cache-'));
let dashboard: RunningDashboard;
let browser: Browser;
let page: Page;
let firstSha = '';

const row = (name: string): string => `[data-testid="app-row"][data-app="${s.namespace}/${name}"]`;
const textOf = async (selector: string): Promise<string> => (await page.locator(selector).first().textContent())?.trim() ?? '';
/** Waits until the element's text is `text` (the page updates itself: nothing reloads it). */
const waitForText = (selector: string, text: string, timeout = 60_000): Promise<void> =>
  page.locator(selector, { hasText: new RegExp(`^\\s*${text}\\s*$`) }).first().waitFor({ timeout });

function screenshot(name: string, fullPage = false): Promise<Buffer> {
  mkdirSync(screenshots, { recursive: true });
  return page.screenshot({ path: join(screenshots, name), fullPage });
}
function writeJson(obj: unknown): string {
  const file = join(cacheDir, `object-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(obj));
  return file;
}
const isPng = (path: string): boolean => readFileSync(path).subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

beforeAll(async () => {
  await s.setUp();
  s.repo.write('web/deployment.yaml', deployment('web'));
  s.repo.write('web/settings.yaml', configMap('settings', { colour: 'blue' }));
  s.repo.write('plain/settings.yaml', configMap('plain-settings'));
  s.repo.write('plain/token.yaml', secret('plain-token', { password: 'hunter2-do-not-show' }));
  firstSha = s.repo.commit('web and plain');
  // No self-heal for web: a drift stays until someone syncs.
  await s.apps.create('web', { repoURL: s.repo.url, path: 'web', destinationNamespace: dest, automated: { prune: true } });
  await s.apps.create('plain', { repoURL: s.repo.url, path: 'plain', destinationNamespace: dest });
  await s.apps.waitFor('web', 'Synced and Healthy', isSyncedHealthy, 120_000);
  await s.apps.waitFor('plain', 'Synced and Healthy', isSyncedHealthy);
  dashboard = await startDashboard(['-n', s.namespace, '--allow-local-repos', '--cache-dir', cacheDir]);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
}, 240_000);

afterAll(async () => {
  await browser.close();
  await dashboard.stop();
  await s.tearDown();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('capstan dashboard (local mode)', () => {
  it('the printed URL signs in; the list shows the apps and turns a drifted one OutOfSync without a reload', async () => {
    expect(dashboard.printed).toMatch(/^capstan dashboard: open http:\/\/127\.0\.0\.1:\d+\/login\?token=\S+ /);
    await page.goto(dashboard.url);
    await page.locator(row('web')).waitFor({ timeout: 30_000 });
    await waitForText(`${row('web')} [data-testid="sync"]`, 'Synced');
    expect(await textOf(`${row('web')} [data-testid="health"]`)).toBe('Healthy');
    expect(await textOf(`${row('plain')} [data-testid="sync"]`)).toBe('Synced');
    expect(await textOf(`${row('plain')} [data-testid="health"]`)).toBe('Healthy');

    // The one-time link does not sign in a second browser.
    const again = await fetch(dashboard.url, { redirect: 'manual' });
    expect(again.status).toBe(401);
    expect((await fetch(`${dashboard.base}api/session`)).status).toBe(401);

    await screenshot('dashboard-list.png');
    expect(isPng(join(screenshots, 'dashboard-list.png'))).toBe(true);

    await page.evaluate('window.notReloaded = true');
    const drifted = Date.now();
    kubectl('-n', dest, 'patch', 'deployment', 'web', '--type', 'merge', '-p', '{"spec":{"replicas":2}}');
    await waitForText(`${row('web')} [data-testid="sync"]`, 'OutOfSync');
    process.stdout.write(`dashboard: drift shown as OutOfSync in the list ${Date.now() - drifted} ms after the patch\n`);
    expect(await page.evaluate('window.notReloaded')).toBe(true);
    expect(await textOf(`${row('plain')} [data-testid="sync"]`)).toBe('Synced');
  }, 120_000);

  it('the app view shows Deployment → ReplicaSet → Pods, the manifest and the drifted field; Sync makes it Synced', async () => {
    await page.goto(`${dashboard.base}#/apps/${s.namespace}/web`);
    await page.locator('[data-testid="tree-node"][data-kind="Deployment"][data-name="web"]').waitFor({ timeout: 30_000 });
    const rs = page.locator('[data-testid="tree-node"][data-kind="ReplicaSet"][data-parent="Deployment/web"]').first();
    await rs.waitFor({ timeout: 30_000 });
    const rsName = await rs.getAttribute('data-name');
    expect(rsName).toMatch(/^web-/);
    await page.locator(`[data-testid="tree-node"][data-kind="Pod"][data-parent="ReplicaSet/${rsName ?? ''}"]`).first().waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="tree-node"][data-kind="ConfigMap"][data-name="settings"]').count()).toBe(1);
    expect(await textOf('[data-testid="app-sync"]')).toBe('OutOfSync');
    // The plan (status.plan) says what a sync would do.
    const planned = page.locator('[data-testid="plan-item"][data-action="update"]', { hasText: 'spec.replicas' });
    await planned.waitFor({ timeout: 30_000 });
    expect(await planned.textContent()).toContain(`Deployment ${dest}/web`);

    await page.locator('[data-testid="tree-node"][data-kind="Deployment"][data-name="web"]').click();
    await page.locator('[data-testid="resource-manifest"]').waitFor({ timeout: 30_000 });
    const manifest = await textOf('[data-testid="resource-manifest"]');
    expect(manifest).toContain('kind: Deployment');
    expect(manifest).toContain('replicas: 2');
    await page.locator('[data-testid="tab-diff"]').click();
    await page.locator('[data-testid="resource-diff"]', { hasText: 'replicas' }).waitFor({ timeout: 60_000 });
    const diff = await textOf('[data-testid="resource-diff"]');
    expect(diff).toMatch(/-\s*replicas: 2/);
    expect(diff).toMatch(/\+\s*replicas: 1/);
    await page.locator('[data-testid="tab-events"]').click();
    await page.locator('[data-testid="resource-events"]', { hasText: 'ScalingReplicaSet' }).waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="tab-diff"]').click();
    await screenshot('dashboard-app.png', true);

    // A Secret's values never reach the browser.
    const shown = await page.request.get(`${dashboard.base}api/apps/${s.namespace}/plain/resource?group=&version=v1&kind=Secret&namespace=${dest}&name=plain-token`);
    expect(shown.status()).toBe(200);
    const text = await shown.text();
    expect(text).toContain('++++++++');
    expect(text).not.toContain(Buffer.from('hunter2-do-not-show').toString('base64'));
    expect(text).not.toContain('hunter2');
    expect(isPng(join(screenshots, 'dashboard-app.png'))).toBe(true);

    // The same content as `capstan app diff`.
    const api = await page.request.get(`${dashboard.base}api/apps/${s.namespace}/web/diff`);
    expect(api.status()).toBe(200);
    const body = (await api.json()) as AppDiff;
    expect(body.objects.map((o) => `${o.kind}/${o.name}:${o.change}`)).toEqual(['Deployment/web:modified']);
    const cli = await capstanCli(['app', 'diff', 'web', '-n', s.namespace, '--allow-local-repos', '--cache-dir', cacheDir]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toBe(body.objects.map((o) => o.diff).join(''));

    await page.locator('[data-testid="open-diff"]').click();
    await page.locator('[data-testid="diff-view"] [data-testid="object-diff"]').first().waitFor({ timeout: 60_000 });
    expect(await textOf('[data-testid="diff-view"]')).toContain('replicas');
    await page.locator('[data-testid="diff-mode-split"]').click();
    await screenshot('dashboard-diff.png');
    expect(isPng(join(screenshots, 'dashboard-diff.png'))).toBe(true);

    await page.goto(`${dashboard.base}#/apps/${s.namespace}/web`);
    await page.locator('[data-testid="action-sync"]').click();
    await page.locator('[data-testid="confirm-dialog"]').waitFor();
    await page.locator('[data-testid="confirm"]').click();
    await page.locator('[data-testid="action-result"]').waitFor({ timeout: 30_000 });
    await waitForText('[data-testid="app-sync"]', 'Synced');
    expect(kubectl('-n', dest, 'get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}')).toBe('1');
    await page.locator('[data-testid="plan"]').waitFor({ state: 'detached', timeout: 30_000 });

    // The tree follows the live objects, not only the Application: a Pod made owned by the
    // ConfigMap (the Application does not change) shows under it without a reload.
    await page.evaluate('window.notReloaded = true');
    const owner = kubectl('-n', dest, 'get', 'configmap', 'settings', '-o', 'jsonpath={.metadata.uid}');
    kubectl('-n', dest, 'create', '-o', 'name', `--filename=${writeJson({
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: 'owned-by-settings', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'settings', uid: owner }] },
      spec: { containers: [{ name: 'main', image: 'busybox' }] },
    })}`);
    await page.locator('[data-testid="tree-node"][data-kind="Pod"][data-name="owned-by-settings"][data-parent="ConfigMap/settings"]').waitFor({ timeout: 30_000 });
    expect(await page.evaluate('window.notReloaded')).toBe(true);
  }, 180_000);

  it('history: a rollback to entry 1 from the page restores it in the cluster', async () => {
    s.repo.write('web/settings.yaml', configMap('settings', { colour: 'green' }));
    const second = s.repo.commit('green');
    s.apps.annotate('web', { 'capstan.dev/refresh': 'normal' });
    await s.apps.waitFor('web', 'synced at the second commit', (a) => a.status?.sync?.revision === second && a.status.operationState?.phase === 'Succeeded' && a.status.sync.status === 'Synced');
    expect(kubectl('-n', dest, 'get', 'configmap', 'settings', '-o', 'jsonpath={.data.colour}')).toBe('green');

    const entry = page.locator('[data-testid="history-row"][data-id="1"]');
    await entry.waitFor({ timeout: 30_000 });
    expect(await entry.textContent()).toContain(firstSha.slice(0, 7));
    await entry.locator('[data-testid="rollback"]').click();
    await page.locator('[data-testid="confirm-dialog"]').waitFor();
    await page.locator('[data-testid="confirm"]').click();
    await page.locator('[data-testid="action-result"]').waitFor({ timeout: 30_000 });
    expect(await textOf('[data-testid="action-result"]')).toContain('rollback');
    await s.apps.waitFor('web', 'rolled back to the first commit', (a) => a.status?.sync?.revision === firstSha && a.status.operationState?.phase === 'Succeeded');
    await eventually('the ConfigMap to be blue again', () => Promise.resolve(kubectl('-n', dest, 'get', 'configmap', 'settings', '-o', 'jsonpath={.data.colour}') === 'blue' ? true : undefined));
    await page.locator(`[data-testid="history-row"] >> text=${firstSha.slice(0, 7)}`).first().waitFor();
  }, 180_000);

  it('the running operation shows its phase and what it waits for; Terminate ends it; Refresh is handled', async () => {
    // A PreSync hook whose pod no node can take: the sync waits on it until terminated.
    const gate = `capstan.dev/test-gate-${s.namespace}`;
    s.repo.write('hooked/migrate.yaml', JSON.stringify({
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', annotations: { 'argocd.argoproj.io/hook': 'PreSync' } },
      spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', nodeSelector: { [gate]: 'open' }, containers: [{ name: 'main', image: 'busybox' }] } } },
    }));
    s.repo.write('hooked/settings.yaml', configMap('hooked-settings'));
    s.repo.commit('a hook that waits');
    await s.apps.create('hooked', { repoURL: s.repo.url, path: 'hooked', destinationNamespace: dest });
    await page.goto(`${dashboard.base}#/apps/${s.namespace}/hooked`);
    await page.locator('[data-testid="operation"]', { hasText: 'hook Job/migrate to complete' }).waitFor({ timeout: 60_000 });
    expect(await textOf('[data-testid="operation"]')).toContain('Running');

    await page.locator('[data-testid="action-terminate"]').click();
    await page.locator('[data-testid="confirm-dialog"]').waitFor();
    await page.locator('[data-testid="confirm"]').click();
    await page.locator('[data-testid="action-result"]').waitFor({ timeout: 30_000 });
    const ended = await s.apps.waitFor('hooked', 'the operation to be terminated', (a) => a.status?.operationState?.phase === 'Failed' && a.status.operationState.terminated === true);
    expect(ended.status?.operationState?.message).toContain('terminated');
    await page.locator('[data-testid="operation"]', { hasText: 'Failed' }).waitFor({ timeout: 30_000 });

    // Refresh: the app sees a new commit now, not at its next interval (10 minutes away).
    s.repo.write('plain/settings.yaml', configMap('plain-settings', { key: 'refreshed' }));
    const sha = s.repo.commit('plain changes');
    await page.goto(`${dashboard.base}#/apps/${s.namespace}/plain`);
    await page.locator('[data-testid="app-header"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="action-refresh"]').click();
    await page.locator('[data-testid="confirm-dialog"]').waitFor();
    await page.locator('[data-testid="confirm"]').click();
    await page.locator('[data-testid="action-result"]', { hasText: 'refresh' }).waitFor({ timeout: 30_000 });
    await s.apps.waitFor('plain', 'the refresh to find the new commit', (a) => a.status?.sync?.revision === sha && a.status.sync.status === 'Synced');
    await eventually('the ConfigMap to follow the commit', () => Promise.resolve(kubectl('-n', dest, 'get', 'configmap', 'plain-settings', '-o', 'jsonpath={.data.key}') === 'refreshed' ? true : undefined));
  }, 180_000);
});
