// Issue 9, acceptance 6: a repository URL with credentials in it, served by real git over HTTP
// behind Basic authentication: the app syncs, and the credentials appear in no log line, status
// field, Event, metric, CLI output or command line of a git process the controller started.
// A token in a query string likewise.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import { startHttpGitServer, type HttpGitServer } from '../../../src/git/testing/http-git-server.js';
import { TestRepo } from '../../../src/git/testing/test-repo.js';
import { freePorts } from '../../cluster/ports.js';
import { Apps, capstanCli, installCrd, isSyncedHealthy } from '../support/capstan.js';
import { ControllerProcess } from '../support/controller-process.js';
import { createNamespace, deleteNamespace, eventually, testKubeConfig, uniqueName } from '../support/kube.js';
import { configMap } from '../support/manifests.js';
import { GitProcessWatch } from '../support/proc-watch.js';
import { handledRefresh } from '../support/settle.js';

const kc = testKubeConfig();
const ns = uniqueName('creds');
const dest = uniqueName('creds-dest');
const apps = new Apps(kc, ns);
const root = mkdtempSync(join(tmpdir(), 'capstan-creds-'));
const cacheDir = join(root, 'cache');
const secret = randomBytes(6).toString('hex');
const username = `robot-${secret}`;
const password = `glpat-PASS-${secret}`;
const queryToken = `glpat-QUERY-${secret}`;
const secrets = [username, password, queryToken, secret];
let server: HttpGitServer;
let controller: ControllerProcess;
let metricsUrl = '';
let watch: GitProcessWatch;

beforeAll(async () => {
  await installCrd();
  await createNamespace(kc, ns);
  const repo = TestRepo.create(join(root, 'served'), 'apps');
  repo.commit({ 'app/settings.yaml': configMap('settings', { version: '1' }) }, 'v1');
  // Slow on purpose: every request waits, so the git processes of a fetch are there to be seen.
  server = await startHttpGitServer({ root: join(root, 'served'), auth: { username, password }, delayMs: 300 });
  const [metricsPort] = await freePorts(1);
  metricsUrl = `http://127.0.0.1:${metricsPort ?? 0}`;
  // As deployed: without --allow-local-repos.
  controller = new ControllerProcess({
    namespace: ns, name: 'credentials', cacheDir, interval: '10m', allowLocalRepos: false,
    extraArgs: ['--metrics-addr', `127.0.0.1:${metricsPort ?? 0}`],
  });
  await eventually('the controller to be ready', async () => ((await fetch(`${metricsUrl}/readyz`)).status === 200 ? true : undefined), 30_000);
  watch = new GitProcessWatch(controller.pid ?? -1).start();
});

afterAll(async () => {
  watch.stop();
  for (const name of await apps.list().catch(() => [])) await apps.delete(name, { wait: true }).catch(() => undefined);
  await controller.stop();
  await server.close();
  await deleteNamespace(kc, ns);
  await deleteNamespace(kc, dest);
  rmSync(root, { recursive: true, force: true });
});

function leaks(what: string, text: string): string[] {
  return secrets.filter((s) => text.includes(s)).map((s) => `${what} contains ${s === secret ? 'the secret suffix' : s}`);
}

describe('credentials in a repository URL', () => {
  it('syncs from a repository behind Basic authentication, and the credentials show up nowhere', async () => {
    const repo = TestRepo.create(join(root, 'served'), 'apps');
    await apps.create('private', { repoURL: server.url('apps', `${username}:${password}`), path: 'app', destinationNamespace: dest });
    const synced = await apps.waitFor('private', 'Synced', isSyncedHealthy, 90_000);
    // A second fetch, for a new commit.
    const v2 = repo.commit({ 'app/settings.yaml': configMap('settings', { version: '2' }) }, 'v2');
    await handledRefresh(apps, 'private', 90_000);
    await apps.waitFor('private', `Synced to ${v2.slice(0, 7)}`, (a) => isSyncedHealthy(a) && a.status?.sync?.revision === v2, 90_000);
    expect(synced.status?.sync?.revision).not.toBe(v2);
    expect(server.counts.served).toBeGreaterThan(0);

    await apps.create('query-token', { repoURL: `${server.url('apps')}?private_token=${queryToken}`, path: 'app', destinationNamespace: dest });
    const refused = await apps.waitFor('query-token', 'refused', (a) => a.status?.conditions?.some((c) => c.type === 'Stalled' && c.reason === 'InvalidSpec') === true);
    expect(refused.status?.conditions?.find((c) => c.type === 'Stalled')?.message).toContain('?private_token=redacted');
    watch.stop();

    // The git processes seen while the controller fetched: git and git-remote-http, naming the server.
    const commandLines = [...watch.seen.values()];
    const ours = commandLines.filter((c) => c.includes(`127.0.0.1:${server.port}`));
    expect(ours.some((c) => /(^|\/)git ls-remote /.test(c))).toBe(true);
    expect(ours.some((c) => /git-remote-http /.test(c))).toBe(true);

    const events = await kc.makeApiClient(CoreV1Api).listNamespacedEvent({ namespace: ns });
    expect(events.items.filter((e) => e.involvedObject.name === 'private' && e.type === 'Warning').map((e) => e.reason).sort()).toEqual(['CredentialsInURL', 'InsecureRepoURL']);
    const cli: Awaited<ReturnType<typeof capstanCli>>[] = [];
    // One at a time: each is a node process of its own on a busy machine.
    for (const args of [['get', 'private'], ['get', 'private', '-o', 'yaml'], ['list', '-o', 'wide'], ['list', '-o', 'json']]) {
      cli.push(await capstanCli(['app', ...args, '-n', ns]));
    }
    expect(cli.map((r) => `${r.code} ${r.stderr}`)).toEqual(cli.map(() => '0 '));
    expect(cli[0]?.stdout).toMatch(new RegExp(`Repo:\\s+http://127\\.0\\.0\\.1:${server.port}/apps\\n`));

    const found = [
      ...leaks('the controller log', readFileSync(controller.logFile, 'utf8')),
      ...leaks('the status of private', JSON.stringify((await apps.mustGet('private')).status)),
      ...leaks('the status of query-token', JSON.stringify((await apps.mustGet('query-token')).status)),
      ...leaks('the Events', JSON.stringify(events.items)),
      ...leaks('/metrics', await (await fetch(`${metricsUrl}/metrics`)).text()),
      ...cli.flatMap((r, i) => leaks(`capstan app output ${i}`, r.stdout + r.stderr)),
      ...commandLines.flatMap((c) => leaks(`the command line "${c.replaceAll(secret, '…')}"`, c)),
    ];
    expect(found).toEqual([]);
  });
});
