// npm run bench: Capstan on the local control plane. Prints and records in bench/RESULTS.md:
// cold start to all Synced for N apps, webhook → Synced and drift → restored latency (p50/p95),
// controller peak RSS, and API requests (and writes) per steady-state minute. A benchmark, not a test.
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppsV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { freePorts } from '../test/cluster/ports.js';
import { repoRoot, statePaths } from '../test/cluster/paths.js';

const appCount = Number(process.env['BENCH_APPS'] ?? 200);
const samples = Number(process.env['BENCH_SAMPLES'] ?? 20);
const steadyMs = Number(process.env['BENCH_STEADY_MS'] ?? 180_000); // one poll interval
const ns = 'capstan-bench';
const dest = 'bench-apps';
const kubeconfig = statePaths().kubeconfig;
const kc = new KubeConfig();
kc.loadFromFile(kubeconfig);
const custom = kc.makeApiClient(CustomObjectsApi);
const appsApi = kc.makeApiClient(AppsV1Api);
const say = (line: string): void => {
  process.stderr.write(`bench: ${line}\n`);
};
const kubectl = (...args: string[]): string => execFileSync('kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8', input: '' });
const kubectlApply = (docs: unknown[]): void => {
  execFileSync('kubectl', ['--kubeconfig', kubeconfig, 'apply', '--server-side', '-f', '-'], { input: docs.map((d) => JSON.stringify(d)).join('\n'), stdio: ['pipe', 'ignore', 'inherit'] });
};

interface AppView { name: string; revision: string | undefined; sync: string | undefined }
async function listApps(): Promise<AppView[]> {
  const list = (await custom.listNamespacedCustomObject({ group: 'capstan.dev', version: 'v1alpha1', plural: 'applications', namespace: ns })) as {
    items: { metadata: { name: string }; status?: { sync?: { status?: string; revision?: string } } }[];
  };
  return list.items.map((a) => ({ name: a.metadata.name, revision: a.status?.sync?.revision, sync: a.status?.sync?.status }));
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function manifests(i: number, version: number): string {
  const n = `app-${i}`;
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: n } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n }, data: { version: String(version) } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: n }, spec: { selector: { app: n }, ports: [{ port: 80 }] } },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: n },
      spec: { replicas: 1, selector: { matchLabels: { app: n } }, template: { metadata: { labels: { app: n } }, spec: { serviceAccountName: n, containers: [{ name: 'main', image: 'nginx:1.27' }] } } },
    },
  ].map((d) => JSON.stringify(d)).join('\n---\n');
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@capstan.dev', ...args], { cwd: dir, encoding: 'utf8' }).trim();
}

function rssPeakKb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? NaN);
}

/** The controller's API requests so far (watches excluded), and how many of them were writes (dry runs included). */
async function apiRequests(metricsUrl: string): Promise<{ all: number; writes: number }> {
  const text = await (await fetch(`${metricsUrl}/metrics`)).text();
  const counts = [...text.matchAll(/^capstan_kube_api_requests_total\{verb="(\w+)",code="\d+"\} (\d+)/gm)]
    .filter((m) => m[1] !== 'watch').map((m) => ({ verb: m[1] ?? '', n: Number(m[2]) }));
  const sum = (list: typeof counts): number => list.reduce((total, c) => total + c.n, 0);
  return { all: sum(counts), writes: sum(counts.filter((c) => c.verb !== 'get' && c.verb !== 'list')) };
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'capstan-bench-'));
  const repo = join(work, 'repo');
  mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main');
  for (let i = 0; i < appCount; i++) {
    mkdirSync(join(repo, `app-${i}`));
    writeFileSync(join(repo, `app-${i}`, 'all.yaml'), manifests(i, 1));
  }
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'bench apps');
  const repoUrl = `file://${repo}`;

  say(`setting up ${appCount} Applications (Deployment, Service, ConfigMap, ServiceAccount each)`);
  kubectl('apply', '--server-side', '-f', join(repoRoot, 'crds', 'application.yaml'));
  kubectl('wait', '--for=condition=Established', 'crd/applications.capstan.dev');
  kubectlApply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: dest } }]);
  kubectlApply(Array.from({ length: appCount }, (_, i) => ({
    apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: `app-${i}`, namespace: ns },
    spec: { source: { repoURL: repoUrl, path: `app-${i}` }, destination: { namespace: dest }, syncPolicy: { automated: { prune: true, selfHeal: true } } },
  })));

  const [webhookPort, metricsPort] = await freePorts(2);
  const metricsUrl = `http://127.0.0.1:${metricsPort ?? 0}`;
  const webhookUrl = `http://127.0.0.1:${webhookPort ?? 0}/api/webhook`;
  const log = openSync(join(work, 'controller.log'), 'a');
  const started = Date.now();
  const controller = spawn(process.execPath, [join(repoRoot, 'dist', 'cli', 'main.js'), 'controller', '--kubeconfig', kubeconfig, '--namespace', ns,
    '--interval', '3m', '--concurrency', '10', '--cache-dir', join(work, 'cache'), '--allow-local-repos', '--log-level', process.env['BENCH_LOG_LEVEL'] ?? 'warn',
    '--metrics-addr', `127.0.0.1:${metricsPort ?? 0}`, '--webhook-addr', `127.0.0.1:${webhookPort ?? 0}`, '--webhook-allow-unsigned'], { stdio: ['ignore', log, log] });
  const pid = controller.pid ?? 0;
  try {
    await until('all Applications Synced', async () => ((await listApps()).filter((a) => a.sync === 'Synced').length === appCount ? true : undefined), 30 * 60_000, 500);
    const coldStartS = (Date.now() - started) / 1000;
    say(`cold start: ${appCount} apps Synced in ${coldStartS.toFixed(1)} s`);
    await sleep(5_000);

    const webhookMs: number[] = [];
    for (let k = 0; k < samples; k++) {
      const i = (k * 7) % appCount;
      writeFileSync(join(repo, `app-${i}`, 'all.yaml'), manifests(i, 2 + k));
      git(repo, 'commit', '-qam', `change app-${i}`);
      const sha = git(repo, 'rev-parse', 'HEAD');
      const t0 = Date.now();
      const res = await fetch(webhookUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ repoURL: repoUrl, revision: sha }) });
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
      await until(`app-${i} at ${sha}`, async () => {
        const a = (await listApps()).find((x) => x.name === `app-${i}`);
        return a?.revision === sha && a.sync === 'Synced' ? true : undefined;
      }, 120_000, 50);
      webhookMs.push(Date.now() - t0);
      // Let the push settle (every app of the repository moves to it) before the next one.
      await until('all apps at the pushed revision', async () => ((await listApps()).every((a) => a.revision === sha) ? true : undefined), 120_000, 200);
    }
    say(`webhook → Synced: p50 ${percentile(webhookMs, 50)} ms, p95 ${percentile(webhookMs, 95)} ms`);
    await sleep(5_000);

    const driftMs: number[] = [];
    for (let k = 0; k < samples; k++) {
      const name = `app-${(k * 13 + 3) % appCount}`;
      const t0 = Date.now();
      await appsApi.patchNamespacedDeployment({ name, namespace: dest, body: [{ op: 'replace', path: '/spec/replicas', value: 3 }] });
      await until(`${name} restored`, async () => ((await appsApi.readNamespacedDeployment({ name, namespace: dest })).spec?.replicas === 1 ? true : undefined), 60_000, 25);
      driftMs.push(Date.now() - t0);
    }
    say(`drift → restored: p50 ${percentile(driftMs, 50)} ms, p95 ${percentile(driftMs, 95)} ms`);

    await sleep(10_000);
    const before = await apiRequests(metricsUrl);
    await sleep(steadyMs);
    const after = await apiRequests(metricsUrl);
    const perMinute = (after.all - before.all) * (60_000 / steadyMs);
    const writesPerMinute = (after.writes - before.writes) * (60_000 / steadyMs);
    const peakMb = rssPeakKb(pid) / 1024;
    say(`steady state: ${perMinute.toFixed(0)} API requests per minute (watches excluded), ${writesPerMinute.toFixed(0)} of them writes; controller peak RSS ${peakMb.toFixed(0)} MiB`);

    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    const row = `| ${new Date().toISOString().slice(0, 10)} | ${commit} | ${cpus().length} CPU, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version} | ${appCount} | ${coldStartS.toFixed(1)} s | ${percentile(webhookMs, 50)} / ${percentile(webhookMs, 95)} ms | ${percentile(driftMs, 50)} / ${percentile(driftMs, 95)} ms | ${peakMb.toFixed(0)} MiB | ${perMinute.toFixed(0)} | ${writesPerMinute.toFixed(0)} |\n`;
    appendFileSync(join(repoRoot, 'bench', 'RESULTS.md'), row);
    process.stdout.write(row);
  } finally {
    controller.kill('SIGTERM');
    await new Promise((r) => controller.once('exit', r));
    // Without a controller no finalizer would ever be removed: drop them, then the namespaces.
    for (const app of await listApps().catch(() => [])) {
      await custom.patchNamespacedCustomObject({ group: 'capstan.dev', version: 'v1alpha1', plural: 'applications', namespace: ns, name: app.name, body: [{ op: 'remove', path: '/metadata/finalizers' }] }).catch(() => undefined);
    }
    kubectl('delete', 'namespace', ns, dest, '--wait=false');
    if (process.env['BENCH_KEEP_LOG'] !== undefined) execFileSync('cp', [join(work, 'controller.log'), join(repoRoot, '.capstan', 'bench-controller.log')]);
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  say(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
