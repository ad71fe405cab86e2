// The dashboard's HTTP API as an attacker would try it, against the real control plane: no
// session, no dashboard header (a form post from another site), a Host that is not loopback (DNS
// rebinding), an oversized body, and requests the app's state refuses; none of them changes anything.
// Sync options (dry run, prune) reach the controller as one operation.
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { recordedSyncToken } from '../../../src/api/annotations.js';
import { isSyncedHealthy } from '../support/capstan.js';
import { startDashboard, type RunningDashboard } from '../support/dashboard.js';
import { configMap } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';

const s = new Scenario('dashapi', { intervalMs: 600_000 });
const cacheDir = mkdtempSync(join(tmpdir(), 'capstan-dash-api-'));
let dashboard: RunningDashboard;
let cookie = '';

const post = (path: string, body: unknown, headers: Record<string, string> = { 'X-Capstan-Dashboard': '1' }): Promise<Response> =>
  fetch(`${dashboard.base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', cookie, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

/** A GET with a Host header of our choosing (fetch does not let one set it). */
function getWithHost(path: string, host: string): Promise<number> {
  const url = new URL(path, dashboard.base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, headers: { host, cookie } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  await s.setUp();
  s.repo.write('api/settings.yaml', configMap('api-settings'));
  s.repo.commit('api');
  await s.apps.create('target', { repoURL: s.repo.url, path: 'api', destinationNamespace: s.destination('dashapi') });
  await s.apps.waitFor('target', 'Synced and Healthy', isSyncedHealthy);
  dashboard = await startDashboard(['-n', s.namespace, '--allow-local-repos', '--cache-dir', cacheDir]);
  const signedIn = await fetch(dashboard.url, { redirect: 'manual' });
  expect(signedIn.status).toBe(302);
  const setCookie = signedIn.headers.get('set-cookie') ?? '';
  expect(setCookie).toMatch(/HttpOnly/i);
  expect(setCookie).toMatch(/SameSite=Strict/i);
  cookie = setCookie.split(';')[0] ?? '';
}, 120_000);

afterAll(async () => {
  await dashboard.stop();
  await s.tearDown();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('the dashboard API refuses what it must', () => {
  it('needs a session, and the dashboard header on every POST', async () => {
    const before = await s.apps.mustGet('target');
    expect((await fetch(`${dashboard.base}api/apps/${s.namespace}/target`)).status).toBe(401);
    expect((await fetch(`${dashboard.base}api/apps/${s.namespace}/target/sync`, { method: 'POST', body: '{}' })).status).toBe(401);
    const forged = await post(`api/apps/${s.namespace}/target/sync`, {}, {});
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { error: string }).error).toContain('X-Capstan-Dashboard');
    const after = await s.apps.mustGet('target');
    expect(after['operation']).toBeUndefined();
    expect(after.metadata.annotations?.['capstan.dev/sync']).toBeUndefined();
    expect(after.status?.operationState?.startedAt).toBe(before.status?.operationState?.startedAt);
  });

  it('answers only to loopback names (DNS rebinding), with a content security policy', async () => {
    expect(await getWithHost('/api/session', 'evil.example:80')).toBe(403);
    expect(await getWithHost('/', 'attacker.test')).toBe(403);
    expect(await getWithHost('/api/session', new URL(dashboard.base).host)).toBe(200);
    const index = await fetch(dashboard.base);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(index.headers.get('x-frame-options')).toBe('DENY');
  });

  it('refuses bad requests with the right status and changes nothing', async () => {
    expect((await post(`api/apps/${s.namespace}/target/rollback`, { id: 'one' })).status).toBe(400);
    const noEntry = await post(`api/apps/${s.namespace}/target/rollback`, { id: 99 });
    expect(noEntry.status).toBe(409);
    expect(((await noEntry.json()) as { error: string }).error).toContain('no history entry 99');
    expect((await post(`api/apps/${s.namespace}/missing/sync`, {})).status).toBe(404);
    const terminate = await post(`api/apps/${s.namespace}/target/terminate`, {});
    expect(terminate.status).toBe(409);
    expect((await post(`api/apps/${s.namespace}/target/sync`, 'x'.repeat(70 * 1024))).status).toBe(413);
    expect((await fetch(`${dashboard.base}api/apps/${s.namespace}/target/resource?kind=ConfigMap`, { headers: { cookie } })).status).toBe(400);
    expect((await s.apps.mustGet('target')).metadata.annotations?.['capstan.dev/sync-revision']).toBeUndefined();
  });

  it('Sync with the dry-run and prune options asks the controller for that operation', async () => {
    const answer = await post(`api/apps/${s.namespace}/target/sync`, { dryRun: true, prune: true });
    expect(answer.status).toBe(200);
    const token = /token (cli-[a-z0-9-]+)/.exec(((await answer.json()) as { message: string }).message)?.[1];
    expect(token).toBeDefined();
    const done = await s.apps.waitFor('target', 'the dry run to finish', (a) => a.status?.operationState?.syncToken === recordedSyncToken(token ?? '') && a.status.operationState.phase === 'Succeeded');
    expect(done.status?.operationState).toMatchObject({ dryRun: true, prune: true });
  });
});
