// Issue 9, acceptance 2 (first half): with only the `github` secret set, an unsigned push in every
// other provider's format (and GitHub's, unsigned) gets 401 and refreshes nothing. Also: many
// pushes of one commit cost one refresh and one ls-remote; a replayed delivery refreshes nothing;
// a verified push's text reaches status and Events without control or bidi characters.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import { Apps, installCrd, isSyncedHealthy } from '../support/capstan.js';
import { TestRepo } from '../support/git-repo.js';
import { createNamespace, deleteNamespace, eventually, testKubeConfig, uniqueName } from '../support/kube.js';
import { configMap } from '../support/manifests.js';
import { handledRefresh } from '../support/settle.js';
import { metric, post, pushOf, startWebhookController, stopController, type Provider, type WebhookController } from '../support/webhooks.js';

const kc = testKubeConfig();
const ns = uniqueName('hook-auth');
const dest = uniqueName('hook-auth-dest');
const repo = new TestRepo();
const cacheDir = mkdtempSync(join(tmpdir(), 'capstan-hook-auth-'));
const apps = new Apps(kc, ns);
const secret = 'only-github-knows';
let controller: WebhookController | undefined;
let head = '';

const running = (): WebhookController => {
  if (controller === undefined) throw new Error('controller not started');
  return controller;
};
const lsRemotes = (): Promise<number> => metric(running(), 'capstan_git_requests_total', { kind: 'ls-remote' });
const refreshes = (outcome?: string): Promise<number> => metric(running(), 'capstan_webhook_refreshes_total', outcome === undefined ? {} : { outcome });

beforeAll(async () => {
  await installCrd();
  await createNamespace(kc, ns);
  await kc.makeApiClient(CoreV1Api).createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'capstan-webhook' }, stringData: { github: secret } } });
  controller = await startWebhookController({ namespace: ns, name: 'webhook-auth', cacheDir });
  repo.write('app/settings.yaml', configMap('settings', { version: '1' }));
  head = repo.commit('v1');
  await apps.create('guarded', { repoURL: repo.url, path: 'app', targetRevision: 'main', destinationNamespace: dest, interval: '10m' });
  await apps.waitFor('guarded', 'Synced at v1', (a) => a.status?.sync?.revision === head && isSyncedHealthy(a));
});

afterAll(async () => {
  await apps.delete('guarded', { wait: true }).catch(() => undefined);
  await stopController(controller);
  await deleteNamespace(kc, ns);
  await deleteNamespace(kc, dest);
  repo.destroy();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('webhook authentication with only the github secret', () => {
  it('refuses an unsigned push in every format with 401, and refreshes nothing', async () => {
    const before = await lsRemotes();
    const providers: Provider[] = ['generic', 'gitlab', 'gitea', 'bitbucket', 'github'];
    for (const provider of providers) {
      const answer = await post(running(), pushOf(provider, repo.url, head));
      expect({ provider, status: answer.status }).toEqual({ provider, status: 401 });
    }
    // A GitLab token or a Gitea signature made with the github secret opens nothing either.
    expect((await post(running(), pushOf('gitlab', repo.url, head, { secret }))).status).toBe(401);
    expect((await post(running(), pushOf('gitea', repo.url, head, { secret }))).status).toBe(401);
    // The receiver counts every push it hands on before answering: none was.
    expect(await refreshes()).toBe(0);
    expect(await metric(running(), 'capstan_webhook_requests_total', { code: '401' })).toBe(7);
    // A refresh noted by a push is recorded in status by the app's next reconcile at the latest:
    // the one this annotation runs, which itself asks the remote once.
    const after = await handledRefresh(apps, 'guarded');
    expect(after.status?.lastRefresh).toBeUndefined();
    expect(after.metadata.annotations?.['capstan.dev/refresh']).toBeUndefined();
    expect((await apps.events('guarded')).filter((e) => e.reason === 'Refreshed')).toEqual([]);
    expect(await lsRemotes() - before).toBeLessThanOrEqual(1);
  });

  it('costs one refresh and one ls-remote for 40 signed pushes of one commit at once', async () => {
    repo.write('app/settings.yaml', configMap('settings', { version: '2' }));
    head = repo.commit('v2');
    const before = await lsRemotes();
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => post(running(), pushOf('github', repo.url, head, { secret, extra: { n: i } }))));
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 40 }, () => 200));
    expect(answers.every((a) => JSON.stringify(a.json) === JSON.stringify({ queued: [`${ns}/guarded`] }))).toBe(true);
    await apps.waitFor('guarded', 'Synced at v2', (a) => a.status?.sync?.revision === head && a.status.sync.status === 'Synced', 30_000);
    expect(await refreshes('refreshed')).toBe(1);
    expect(await refreshes('merged') + await refreshes('known')).toBe(39);
    expect(await lsRemotes() - before).toBe(1);
    // Anything a merged push still owed would run within the window; the forced look of a
    // handled refresh is the only ls-remote after it.
    await handledRefresh(apps, 'guarded');
    expect(await lsRemotes() - before).toBe(2);
  });

  it('ignores a replayed delivery, also under a new delivery id, and refreshes nothing for it', async () => {
    repo.write('app/settings.yaml', configMap('settings', { version: '3' }));
    head = repo.commit('v3');
    const push = pushOf('github', repo.url, head, { secret, delivery: 'delivery-replayed' });
    expect((await post(running(), push)).json).toEqual({ queued: [`${ns}/guarded`] });
    const refreshed = await refreshes();
    expect((await post(running(), push)).json).toEqual({ queued: [], message: 'duplicate delivery' });
    const underNewId = { ...push, headers: { ...push.headers, 'x-github-delivery': 'delivery-new' } };
    expect((await post(running(), underNewId)).json).toEqual({ queued: [], message: 'duplicate delivery' });
    expect(await refreshes()).toBe(refreshed);
    await apps.waitFor('guarded', 'Synced at v3', (a) => a.status?.sync?.revision === head, 30_000);
  });

  it('records a verified push without control or bidi characters, bounded, in status and the Refreshed Event', async () => {
    repo.write('app/settings.yaml', configMap('settings', { version: '4' }));
    head = repo.commit('v4');
    const sender = `octo\u202Ecat\u2066\u0007\r\n${'x'.repeat(300)}`;
    expect((await post(running(), pushOf('github', repo.url, head, { secret, sender }))).status).toBe(200);
    const app = await apps.waitFor('guarded', 'Synced at v4 with the push recorded', (a) => a.status?.sync?.revision === head && a.status.lastRefresh !== undefined, 30_000);
    const reason = app.status?.lastRefresh?.reason ?? '';
    expect(reason).toMatch(/^webhook: github push to refs\/heads\/main \([0-9a-f]{7}\) by octocatx+…$/);
    expect(reason.length).toBeLessThan(120);
    const event = await eventually('a Refreshed Event', async () => (await apps.events('guarded')).find((e) => e.reason === 'Refreshed' && e.message?.includes(head.slice(0, 7)) === true), 20_000);
    expect(event.message).not.toMatch(/[\p{Cc}\p{Cf}]/u);
  });
});
