// The Applications view with 1000 apps (in a namespace no controller reconciles, so the control
// plane only stores them): all listed, and search and filters narrow them in the page. How long
// that takes is printed for the record; `npm run bench` is where speed is judged.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { installCrd, kubectl } from '../support/capstan.js';
import { startDashboard, type RunningDashboard } from '../support/dashboard.js';
import { createNamespace, deleteNamespace, testKubeConfig, uniqueName } from '../support/kube.js';

const kc = testKubeConfig();
const namespace = uniqueName('dashmany');
const count = 1000;
const outOfSync = ['app-0007', 'app-0500', 'app-0999'];
const dir = mkdtempSync(join(tmpdir(), 'capstan-dash-many-'));
let dashboard: RunningDashboard;
let browser: Browser;
let page: Page;

const name = (i: number): string => `app-${String(i).padStart(4, '0')}`;
const shownCount = async (): Promise<string> => (await page.locator('[data-testid="app-count"]').textContent())?.trim() ?? '';
const waitForCount = (text: string): Promise<void> => page.locator('[data-testid="app-count"]', { hasText: text }).waitFor({ timeout: 60_000 });

beforeAll(async () => {
  await installCrd();
  await createNamespace(kc, namespace);
  const items = Array.from({ length: count }, (_, i) => ({
    apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: name(i), namespace },
    spec: { project: i % 2 === 0 ? 'alpha' : 'beta', source: { repoURL: `https://git.example/team-${i % 10}.git`, path: `apps/${name(i)}` }, destination: { namespace: `ns-${i % 7}` } },
  }));
  const file = join(dir, 'apps.json');
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
  kubectl('create', '-f', file, '-o', 'name');
  for (const app of outOfSync) {
    kubectl('-n', namespace, 'patch', 'applications.capstan.dev', app, '--subresource=status', '--type', 'merge', '-p', JSON.stringify({ status: { sync: { status: 'OutOfSync' }, health: { status: 'Healthy' } } }));
  }
  dashboard = await startDashboard(['-n', namespace]);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
}, 300_000);

afterAll(async () => {
  await browser.close();
  await dashboard.stop();
  await deleteNamespace(kc, namespace);
  rmSync(dir, { recursive: true, force: true });
});

describe('the Applications view with 1000 apps', () => {
  it('lists them all and narrows them by search and filters', async () => {
    const opened = Date.now();
    await page.goto(dashboard.url);
    await waitForCount(`${count} of ${count} apps`);
    expect(await page.locator('[data-testid="app-row"]').count()).toBe(count);
    const listed = Date.now();

    await page.locator('[data-testid="search"]').fill('app-0777');
    await waitForCount(`1 of ${count} apps`);
    expect(await page.locator('[data-testid="app-row"]').getAttribute('data-app')).toBe(`${namespace}/app-0777`);
    const searched = Date.now();

    await page.locator('[data-testid="search"]').fill('');
    await page.locator('[data-testid="filter-project"]').selectOption('beta');
    await waitForCount(`${count / 2} of ${count} apps`);
    await page.locator('[data-testid="filter-sync"]').selectOption('OutOfSync');
    await waitForCount(`2 of ${count} apps`);
    const rows = await Promise.all((await page.locator('[data-testid="app-row"]').all()).map((r) => r.getAttribute('data-app')));
    expect(rows.sort()).toEqual([`${namespace}/app-0007`, `${namespace}/app-0999`]);
    await page.locator('[data-testid="filter-project"]').selectOption('');
    await waitForCount(`3 of ${count} apps`);
    expect(await shownCount()).toBe(`3 of ${count} apps`);
    process.stdout.write(`dashboard with ${count} apps: listed ${listed - opened} ms after opening, searched in ${searched - listed} ms\n`);
  }, 180_000);
});
