// `capstan dashboard --auth token` (the in-cluster mode) in a real browser: users sign in with
// ServiceAccount tokens and Kubernetes RBAC decides. One that may only get/list/watch
// Applications sees the list and gets a clear "forbidden" on Sync, with nothing changed; one
// that may also patch them syncs the app. The dashboard's own kubeconfig credentials are never used.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { recordedSyncToken } from '../../../src/api/annotations.js';
import { launchBrowser } from '../support/browser.js';
import { isSyncedHealthy, kubectl } from '../support/capstan.js';
import { startDashboard, type RunningDashboard } from '../support/dashboard.js';
import { configMap } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';

const s = new Scenario('dashtoken', { intervalMs: 600_000 });
const dest = s.destination('dashguard');
let dashboard: RunningDashboard;
let browser: Browser;
const contexts: BrowserContext[] = [];

const row = `[data-testid="app-row"][data-app="${s.namespace}/guarded"]`;

/** A ServiceAccount bound to a Role with these verbs on Applications of the scenario's namespace, and a token of it. */
function accountWithToken(name: string, verbs: readonly string[]): string {
  kubectl('-n', s.namespace, 'create', 'serviceaccount', name);
  kubectl('-n', s.namespace, 'create', 'role', name, `--verb=${verbs.join(',')}`, '--resource=applications.capstan.dev');
  kubectl('-n', s.namespace, 'create', 'rolebinding', name, `--role=${name}`, `--serviceaccount=${s.namespace}:${name}`);
  return kubectl('-n', s.namespace, 'create', 'token', name, '--duration', '1h').trim();
}

async function signIn(token: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(dashboard.base);
  await page.locator('[data-testid="login-token"]').fill(token);
  await page.locator('[data-testid="login-submit"]').click();
  return page;
}

async function syncFromPage(page: Page): Promise<void> {
  await page.goto(`${dashboard.base}#/apps/${s.namespace}/guarded`);
  await page.locator('[data-testid="app-header"]').waitFor({ timeout: 30_000 });
  await page.locator('[data-testid="action-sync"]').click();
  await page.locator('[data-testid="confirm-dialog"]').waitFor();
  await page.locator('[data-testid="confirm"]').click();
  await page.locator('[data-testid="action-result"], [data-testid="action-error"]').first().waitFor({ timeout: 30_000 });
}

let viewerToken = '';
let operatorToken = '';

beforeAll(async () => {
  await s.setUp();
  s.repo.write('guarded/settings.yaml', configMap('guarded-settings'));
  s.repo.commit('guarded');
  await s.apps.create('guarded', { repoURL: s.repo.url, path: 'guarded', destinationNamespace: dest });
  await s.apps.waitFor('guarded', 'Synced and Healthy', isSyncedHealthy);
  viewerToken = accountWithToken('dash-viewer', ['get', 'list', 'watch']);
  operatorToken = accountWithToken('dash-operator', ['get', 'list', 'watch', 'patch']);
  dashboard = await startDashboard(['--auth', 'token', '-n', s.namespace]);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser.close();
  await dashboard.stop();
  await s.tearDown();
});

describe('capstan dashboard --auth token', () => {
  it('asks for a token, refuses one the API server does not accept, and has no rights of its own', async () => {
    expect(dashboard.printed).toMatch(/users sign in with a Kubernetes bearer token/);
    expect((await fetch(`${dashboard.base}api/session`)).status).toBe(401);
    const page = await signIn('not-a-real-token');
    await page.locator('[data-testid="login-error"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="login-error"]').textContent()).toContain('the API server did not accept this token');
    expect(await page.locator('[data-testid="app-list"]').count()).toBe(0);
    expect((await fetch(`${dashboard.base}api/apps/${s.namespace}/guarded`)).status).toBe(401);
  }, 60_000);

  it('a user who may only read sees the list but gets "forbidden" on Sync, and nothing changes', async () => {
    const before = await s.apps.mustGet('guarded');
    const page = await signIn(viewerToken);
    await page.locator(`${row} [data-testid="sync"]`).waitFor({ timeout: 30_000 });
    expect((await page.locator(`${row} [data-testid="sync"]`).textContent())?.trim()).toBe('Synced');
    expect(await page.locator('body').textContent()).toContain(`system:serviceaccount:${s.namespace}:dash-viewer`);

    await syncFromPage(page);
    const error = (await page.locator('[data-testid="action-error"]').textContent()) ?? '';
    expect(error).toMatch(/forbidden/i);
    expect(error).toContain('dash-viewer');
    expect(await page.locator('[data-testid="action-result"]').count()).toBe(0);
    const after = await s.apps.mustGet('guarded');
    expect(after.metadata.annotations?.['capstan.dev/sync']).toBeUndefined();
    expect(after.metadata.resourceVersion === before.metadata.resourceVersion || after.status?.operationState?.startedAt === before.status?.operationState?.startedAt).toBe(true);
  }, 120_000);

  it('a user who may patch Applications syncs the app', async () => {
    const page = await signIn(operatorToken);
    await page.locator(`${row} [data-testid="sync"]`).waitFor({ timeout: 30_000 });
    await syncFromPage(page);
    const message = (await page.locator('[data-testid="action-result"]').textContent()) ?? '';
    const token = /token (cli-[a-z0-9-]+)/.exec(message)?.[1];
    expect(token).toBeDefined();
    const synced = await s.apps.waitFor('guarded', 'the sync the operator asked for', (a) =>
      a.status?.operationState?.syncToken === recordedSyncToken(token ?? '') && a.status.operationState.phase === 'Succeeded');
    expect(synced.status?.sync?.status).toBe('Synced');
    expect(synced.status?.operationState?.initiatedBy).toBe(`user (system:serviceaccount:${s.namespace}:dash-operator)`);
  }, 120_000);
});
