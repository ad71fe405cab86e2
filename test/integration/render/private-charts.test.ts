// Issue 13 ("the same credentials serve Helm chart repositories and OCI registries"): a chart
// repository served over HTTPS (a CA of the test's own, trusted through capstan-tls-certs) behind
// Basic authentication, and an OCI registry whose token service gives tokens only for Basic
// credentials, each read by the controller process with a repository Secret of type helm. A wrong
// password gives a condition naming the Secret, never the password; no credential reaches the
// controller's log, the status or the Events.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import type { Application } from '../../../src/api/application.js';
import { indexRepo, serveDirectory, type ServedDirectory } from '../../../src/charts/testing/chart-repo.js';
import { helmPush, startRegistry, startRegistryProxy, type RegistryProxy, type TestRegistry } from '../../../src/charts/testing/registry.js';
import { helm } from '../../../src/charts/testing/tools.js';
import { makeTestTls } from '../../../src/git/testing/test-tls.js';
import { Apps, installCrd } from '../support/capstan.js';
import { ControllerProcess } from '../support/controller-process.js';
import { createNamespace, deleteNamespace, testKubeConfig, uniqueName } from '../support/kube.js';
import { credentialLeaks } from '../support/leaks.js';
import { handledRefresh } from '../support/settle.js';

const kc = testKubeConfig();
const core = kc.makeApiClient(CoreV1Api);
const ns = uniqueName('private-charts');
const httpsDest = uniqueName('private-chart-https');
const ociDest = uniqueName('private-chart-oci');
const apps = new Apps(kc, ns);
const root = mkdtempSync(join(tmpdir(), 'capstan-private-charts-'));
const suffix = randomBytes(6).toString('hex');
const username = `robot-${suffix}`;
const password = `PASS-${suffix}`;
const wrongPassword = `WRONG-${suffix}`;
const basicHeader = (secret: string): string => Buffer.from(`${username}:${secret}`).toString('base64');
let served: ServedDirectory;
let registry: TestRegistry;
let proxy: RegistryProxy;
let controller: ControllerProcess;

function helmSecret(name: string, data: Record<string, string>) {
  return { metadata: { name, namespace: ns, labels: { 'argocd.argoproj.io/secret-type': 'repository' } }, stringData: { type: 'helm', ...data } };
}

const syncedAt = (version: string) => (a: Application): boolean => a.status?.sync?.status === 'Synced' && a.status.sync.revision === version;
const readyWith = (reason: string, text: string) => (a: Application): boolean =>
  a.status?.conditions?.some((c) => c.type === 'Ready' && c.reason === reason && c.message.includes(text)) === true;

beforeAll(async () => {
  await installCrd();
  await createNamespace(kc, ns);
  const home = join(root, 'home');
  const chart = join(root, 'greeter');
  const repoDir = join(root, 'repo');
  mkdirSync(join(chart, 'templates'), { recursive: true });
  mkdirSync(repoDir);
  writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: greeter\nversion: 0.0.0\n');
  writeFileSync(join(chart, 'templates', 'config.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-greeter\ndata:\n  version: {{ .Chart.Version | quote }}\n');
  await helm(home, ['package', chart, '--version', '1.0.0', '--destination', repoDir]);
  await indexRepo(home, repoDir);
  const tls = makeTestTls(join(root, 'tls'));
  served = await serveDirectory(repoDir, { tls: { cert: tls.cert, key: tls.key }, auth: { username, password } });
  registry = await startRegistry();
  await helmPush(home, join(repoDir, 'greeter-1.0.0.tgz'), `oci://${registry.host}/charts`);
  proxy = await startRegistryProxy(registry.host, { pageSize: 100, tokenCredentials: { username, password } });
  await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'capstan-tls-certs', namespace: ns }, data: { '127.0.0.1': tls.caCert } } });
  controller = new ControllerProcess({ namespace: ns, name: 'private-charts', cacheDir: join(root, 'cache'), interval: '10m', allowLocalRepos: false });
}, 180_000);

afterAll(async () => {
  for (const name of await apps.list().catch(() => [])) await apps.delete(name, { wait: true }).catch(() => undefined);
  await controller.stop();
  await served.close();
  await proxy.close();
  await registry.stop();
  await deleteNamespace(kc, ns);
  await deleteNamespace(kc, httpsDest);
  await deleteNamespace(kc, ociDest);
  rmSync(root, { recursive: true, force: true });
}, 120_000);

describe('private chart repositories with helm repository Secrets', () => {
  it('reads a chart over HTTPS with Basic auth and from a registry that wants credentials, says which Secret was refused, and leaks no credential', async () => {
    await core.createNamespacedSecret({ namespace: ns, body: helmSecret('charts-https', { url: served.url, username, password: wrongPassword }) });
    const httpsSource = { repoURL: served.url, chart: 'greeter', targetRevision: '1.0.0' };
    await apps.create('https-chart', { repoURL: served.url, destinationNamespace: httpsDest, extraSpec: { source: httpsSource } });
    await apps.waitFor('https-chart', 'the wrong password refused', readyWith('ChartRepoError', `the credentials of the repository Secret ${ns}/charts-https were refused`), 120_000);

    await core.replaceNamespacedSecret({ name: 'charts-https', namespace: ns, body: helmSecret('charts-https', { url: served.url, username, password }) });
    await handledRefresh(apps, 'https-chart', 90_000);
    await apps.waitFor('https-chart', 'Synced at 1.0.0', syncedAt('1.0.0'), 120_000);
    expect((await core.readNamespacedConfigMap({ name: 'https-chart-greeter', namespace: httpsDest })).data).toEqual({ version: '1.0.0' });

    // Argo CD's form for a registry: the URL without oci://, and enableOCI.
    const ociURL = `oci://${proxy.host}/charts`;
    await core.createNamespacedSecret({ namespace: ns, body: helmSecret('charts-oci', { url: `${proxy.host}/charts`, enableOCI: 'true', username, password }) });
    await apps.create('oci-chart', { repoURL: ociURL, destinationNamespace: ociDest, extraSpec: { source: { repoURL: ociURL, chart: 'greeter', targetRevision: '1.0.0' } } });
    await apps.waitFor('oci-chart', 'Synced at 1.0.0', syncedAt('1.0.0'), 120_000);
    expect((await core.readNamespacedConfigMap({ name: 'oci-chart-greeter', namespace: ociDest })).data).toEqual({ version: '1.0.0' });
    expect(proxy.requests.some((r) => r.startsWith('GET /token'))).toBe(true);

    const secrets = [password, wrongPassword, suffix, basicHeader(password), basicHeader(wrongPassword)];
    const found = await credentialLeaks(secrets, { logFile: controller.logFile, apps, appNames: ['https-chart', 'oci-chart'], core, commandLines: [] });
    expect(found).toEqual([]);
  }, 400_000);
});
