// Issue 13, acceptance 5 (in part): private repositories read with repository Secrets — over HTTP
// behind Basic authentication and over ssh (sshd on a loopback port, key authentication, host keys
// from capstan-known-hosts). A wrong password and an unknown host key give clear conditions; a
// rotated Secret is used at the next fetch; no credential shows up in the controller's log, the
// apps' status, the Events, or the command line of a git or ssh process the controller started.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import type { Application } from '../../../src/api/application.js';
import { startHttpGitServer, type HttpGitServer } from '../../../src/git/testing/http-git-server.js';
import { startSshd, type TestSshd } from '../../../src/git/testing/sshd.js';
import { TestRepo } from '../../../src/git/testing/test-repo.js';
import { Apps, installCrd, isSyncedHealthy } from '../support/capstan.js';
import { ControllerProcess } from '../support/controller-process.js';
import { createNamespace, deleteNamespace, testKubeConfig, uniqueName } from '../support/kube.js';
import { credentialLeaks } from '../support/leaks.js';
import { configMap } from '../support/manifests.js';
import { startHoldingProxy, type HoldingProxy } from '../support/holding-proxy.js';
import { GitProcessWatch } from '../support/proc-watch.js';
import { handledRefresh } from '../support/settle.js';

const kc = testKubeConfig();
const core = kc.makeApiClient(CoreV1Api);
const ns = uniqueName('private-repos');
const dest = uniqueName('private-dest');
const sshDest = uniqueName('private-ssh-dest');
const apps = new Apps(kc, ns);
const root = mkdtempSync(join(tmpdir(), 'capstan-private-repos-'));
const suffix = randomBytes(6).toString('hex');
const username = `robot-${suffix}`;
const password = `PASS-${suffix}`;
const wrongPassword = `WRONG-${suffix}`;
let server: HttpGitServer;
let sshd: TestSshd;
let controller: ControllerProcess;
let watch: GitProcessWatch;
// ssh is reached through a proxy that holds each connection until the watch has looked at /proc:
// an ssh process lives only a moment, and the test must see its command line.
let sshProxy: HoldingProxy;

function repositorySecret(name: string, data: Record<string, string>) {
  return { metadata: { name, namespace: ns, labels: { 'argocd.argoproj.io/secret-type': 'repository' } }, stringData: data };
}

const authenticationFailed = (text: string) => (a: Application): boolean =>
  a.status?.conditions?.some((c) => c.type === 'Ready' && c.reason === 'AuthenticationFailed' && c.message.includes(text)) === true;

beforeAll(async () => {
  await installCrd();
  await createNamespace(kc, ns);
  const repo = TestRepo.create(join(root, 'served'), 'apps');
  repo.commit({ 'app/settings.yaml': configMap('settings', { version: '1' }) }, 'v1');
  server = await startHttpGitServer({ root: join(root, 'served'), auth: { username, password } });
  sshd = await startSshd(join(root, 'sshd'));
  controller = new ControllerProcess({ namespace: ns, name: 'private-repos', cacheDir: join(root, 'cache'), interval: '10m', allowLocalRepos: false });
  watch = new GitProcessWatch(controller.pid ?? -1).start();
  sshProxy = await startHoldingProxy({ targetPort: sshd.port, hold: () => watch.nextPoll() });
}, 120_000);

afterAll(async () => {
  watch.stop();
  for (const name of await apps.list().catch(() => [])) await apps.delete(name, { wait: true }).catch(() => undefined);
  await controller.stop();
  await sshProxy.close();
  await server.close();
  await sshd.stop();
  await deleteNamespace(kc, ns);
  await deleteNamespace(kc, dest);
  await deleteNamespace(kc, sshDest);
  rmSync(root, { recursive: true, force: true });
}, 120_000);

describe('private repositories with repository Secrets', () => {
  it('syncs over HTTP Basic auth and ssh, says what is wrong, uses a rotated Secret, and leaks no credential', async () => {
    const httpUrl = server.url('apps');
    await core.createNamespacedSecret({ namespace: ns, body: repositorySecret('http-repo', { url: httpUrl, username, password: wrongPassword }) });
    await apps.create('over-http', { repoURL: httpUrl, path: 'app', destinationNamespace: dest });
    await apps.waitFor('over-http', 'an authentication failure', authenticationFailed('authentication to repository'), 90_000);

    await core.replaceNamespacedSecret({ name: 'http-repo', namespace: ns, body: repositorySecret('http-repo', { url: httpUrl, username, password }) });
    await handledRefresh(apps, 'over-http', 90_000);
    await apps.waitFor('over-http', 'Synced', isSyncedHealthy, 90_000);

    const sshUrl = sshd.url(join(root, 'served', 'apps')).replace(`:${sshd.port}/`, `:${sshProxy.port}/`);
    const knownHostsLine = sshd.knownHostsLine.replace(`]:${sshd.port} `, `]:${sshProxy.port} `);
    await core.createNamespacedSecret({ namespace: ns, body: repositorySecret('ssh-repo', { url: sshUrl, sshPrivateKey: sshd.clientKey }) });
    await apps.create('over-ssh', { repoURL: sshUrl, path: 'app', destinationNamespace: sshDest });
    await apps.waitFor('over-ssh', 'an unknown host key', authenticationFailed(`the host key of 127.0.0.1:${sshProxy.port} is not in the ConfigMap capstan-known-hosts`), 90_000);
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'capstan-known-hosts', namespace: ns }, data: { ssh_known_hosts: knownHostsLine } } });
    await handledRefresh(apps, 'over-ssh', 90_000);
    await apps.waitFor('over-ssh', 'Synced', isSyncedHealthy, 90_000);
    watch.stop();
    expect(sshProxy.connections).toBeGreaterThan(0);

    const commandLines = [...watch.seen.values()];
    expect(commandLines.some((c) => /(^|\/)ssh /.test(c) && c.includes('StrictHostKeyChecking=yes'))).toBe(true);
    const secrets = [username, password, wrongPassword, suffix, ...sshd.clientKey.split('\n').filter((l) => l.length > 40)];
    const found = await credentialLeaks(secrets, { logFile: controller.logFile, apps, appNames: ['over-http', 'over-ssh'], core, commandLines });
    expect(found).toEqual([]);
  }, 300_000);
});
