// Issue 13, acceptance 5 (HTTPS): a private repository served by git http-backend behind TLS (a CA of
// the test's own) and Basic authentication on loopback. The controller process trusts the server only
// through the ConfigMap capstan-tls-certs and authenticates only with a repository Secret; a wrong
// password gives an AuthenticationFailed condition and Event that do not hold it, and no credential
// shows up in the controller's log, the apps' status, the Events, or a git command line.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import type { Application } from '../../../src/api/application.js';
import { startHttpGitServer, type HttpGitServer } from '../../../src/git/testing/http-git-server.js';
import { TestRepo } from '../../../src/git/testing/test-repo.js';
import { makeTestTls, type TestTls } from '../../../src/git/testing/test-tls.js';
import { Apps, installCrd, isSyncedHealthy } from '../support/capstan.js';
import { ControllerProcess } from '../support/controller-process.js';
import { createNamespace, deleteNamespace, eventually, testKubeConfig, uniqueName } from '../support/kube.js';
import { credentialLeaks } from '../support/leaks.js';
import { configMap } from '../support/manifests.js';
import { GitProcessWatch } from '../support/proc-watch.js';
import { handledRefresh } from '../support/settle.js';

const kc = testKubeConfig();
const core = kc.makeApiClient(CoreV1Api);
const ns = uniqueName('private-https');
const dest = uniqueName('private-https-dest');
const otherDest = uniqueName('private-https-other');
const apps = new Apps(kc, ns);
const root = mkdtempSync(join(tmpdir(), 'capstan-private-https-'));
const suffix = randomBytes(6).toString('hex');
const username = `robot-${suffix}`;
const password = `PASS-${suffix}`;
const wrongPassword = `WRONG-${suffix}`;
const basicHeader = (secret: string): string => Buffer.from(`${username}:${secret}`).toString('base64');
let tls: TestTls;
let server: HttpGitServer;
let controller: ControllerProcess;
let watch: GitProcessWatch;

function repositorySecret(name: string, data: Record<string, string>) {
  return { metadata: { name, namespace: ns, labels: { 'capstan.dev/secret-type': 'repository' } }, stringData: data };
}

const readyWith = (reason: string, text: string) => (a: Application): boolean =>
  a.status?.conditions?.some((c) => c.type === 'Ready' && c.reason === reason && c.message.includes(text)) === true;

beforeAll(async () => {
  await installCrd();
  await createNamespace(kc, ns);
  tls = makeTestTls(join(root, 'tls'));
  for (const [name, version] of [['apps', '1'], ['other', '2']] as const) {
    TestRepo.create(join(root, 'served'), name).commit({ 'app/settings.yaml': configMap('settings', { version }) }, `v${version}`);
  }
  server = await startHttpGitServer({ root: join(root, 'served'), auth: { username, password }, tls: { cert: tls.cert, key: tls.key } });
  controller = new ControllerProcess({ namespace: ns, name: 'private-https', cacheDir: join(root, 'cache'), interval: '10m', allowLocalRepos: false });
  watch = new GitProcessWatch(controller.pid ?? -1).start();
}, 120_000);

afterAll(async () => {
  watch.stop();
  for (const name of await apps.list().catch(() => [])) await apps.delete(name, { wait: true }).catch(() => undefined);
  await controller.stop();
  await server.close();
  await deleteNamespace(kc, ns);
  await deleteNamespace(kc, dest);
  await deleteNamespace(kc, otherDest);
  rmSync(root, { recursive: true, force: true });
}, 120_000);

describe('a private repository over HTTPS with Basic auth', () => {
  it('is trusted through capstan-tls-certs, read with the Secret, refused clearly with a wrong password, and leaks no credential', async () => {
    const url = server.url('apps');
    expect(url.startsWith('https://127.0.0.1:')).toBe(true);
    await core.createNamespacedSecret({ namespace: ns, body: repositorySecret('https-repo', { url, username, password }) });
    await apps.create('over-https', { repoURL: url, path: 'app', destinationNamespace: dest });
    // The server's CA is the test's own: without capstan-tls-certs git does not trust it.
    await apps.waitFor('over-https', 'an untrusted certificate', readyWith('GitError', 'certificate'), 90_000);

    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'capstan-tls-certs', namespace: ns }, data: { '127.0.0.1': tls.caCert } } });
    await handledRefresh(apps, 'over-https', 90_000);
    await apps.waitFor('over-https', 'Synced', isSyncedHealthy, 90_000);
    const settings = await core.readNamespacedConfigMap({ name: 'settings', namespace: dest });
    expect(settings.data).toEqual({ version: '1' });

    const otherUrl = server.url('other');
    await core.createNamespacedSecret({ namespace: ns, body: repositorySecret('other-repo', { url: otherUrl, username, password: wrongPassword }) });
    await apps.create('wrong-password', { repoURL: otherUrl, path: 'app', destinationNamespace: otherDest });
    const refused = await apps.waitFor('wrong-password', 'an authentication failure', readyWith('AuthenticationFailed', 'authentication to repository'), 90_000);
    expect(refused.status?.sync?.status).not.toBe('Synced');
    const event = await eventually('a Warning Event for the authentication failure', async () =>
      (await apps.events('wrong-password')).find((e) => e.type === 'Warning' && e.reason === 'AuthenticationFailed'), 60_000);
    expect(event.message).toContain('authentication to repository');
    expect(server.counts.refused).toBeGreaterThan(0);
    expect(server.counts.served).toBeGreaterThan(0);
    watch.stop();

    const commandLines = [...watch.seen.values()];
    expect(commandLines.some((c) => c.includes('git-remote-https') && c.includes(url))).toBe(true);
    const secrets = [password, wrongPassword, suffix, basicHeader(password), basicHeader(wrongPassword)];
    const found = await credentialLeaks(secrets, { logFile: controller.logFile, apps, appNames: ['over-https', 'wrong-password'], core, commandLines });
    expect(found).toEqual([]);
  }, 300_000);
});
