import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { checkTools, ensureBinaries } from './build.js';
import {
  apiserverUrl, componentArgs, componentNames, etcdUrl, kubernetesServiceIp, podCidr, serviceCidr,
  type ClusterLayout, type ClusterPorts, type ComponentName,
} from './components.js';
import { renderAdminKubeconfig, readPem } from './kubeconfig.js';
import { withLock } from './lock.js';
import { ensureFakeNodes, fakeNodeNames, readyNodeCount } from './nodes.js';
import { statePaths, type StatePaths } from './paths.js';
import { adminUser, generatePki, pkiPaths, type Pki } from './pki.js';
import { freePorts } from './ports.js';
import { httpGet, waitUntil, type ClientTls } from './probe.js';
import { isRunning, processesMentioning, startDetached, stopAll, type RecordedProcess } from './processes.js';
import { assessState, readState, writeState, type ClusterState } from './state.js';
import { readVersions } from './versions.js';

export type Reporter = (line: string) => void;

export interface UpResult {
  readonly reused: boolean;
  readonly state: ClusterState;
  readonly seconds: number;
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

async function apiserverReady(server: string, tls: ClientTls): Promise<boolean> {
  const res = await httpGet(`${server}/readyz`, tls);
  return res.status === 200;
}

/** Starts the control plane in `stateDir`, or reuses the one already running there. */
export async function up(stateDir: string | undefined, report: Reporter): Promise<UpResult> {
  const started = Date.now();
  const paths = statePaths(stateDir);
  checkTools();
  const versions = readVersions();
  const bin = ensureBinaries();
  mkdirSync(join(paths.root, '..'), { recursive: true });
  return withLock(paths.lockFile, async () => {
    const found = assessState(paths.stateFile, existsSync(paths.root), versions.cacheKey);
    if (found.kind === 'running') {
      const tls = tlsFromKubeconfigDir(paths);
      if (await apiserverReady(found.state.server, tls).catch(() => false)) {
        return { reused: true, state: found.state, seconds: (Date.now() - started) / 1000 };
      }
      report('the recorded control plane does not answer; restarting it');
      await stopAll(found.state.processes);
    } else if (found.kind === 'stale') {
      report(`cleaning up a previous run (${found.reason})`);
      await stopAll(found.processes);
    }
    await stopStrays(paths);
    rmSync(paths.root, { recursive: true, force: true });
    const state = await start(paths, bin, versions.cacheKey, report);
    return { reused: false, state, seconds: (Date.now() - started) / 1000 };
  });
}

function tlsFromKubeconfigDir(paths: StatePaths): ClientTls {
  return {
    ca: readFileSync(join(paths.pki, 'ca.crt'), 'utf8'),
    cert: readFileSync(join(paths.pki, 'admin.crt'), 'utf8'),
    key: readFileSync(join(paths.pki, 'admin.key'), 'utf8'),
  };
}

/** Processes of this state directory that no state file records (a run killed mid-start). */
async function stopStrays(paths: StatePaths): Promise<void> {
  const strays = processesMentioning(`${paths.root}/`).map((p) => ({ name: 'stray', pid: p.pid, binary: p.command.split(' ')[0] ?? '' }));
  if (strays.length > 0) await stopAll(strays);
}

async function start(paths: StatePaths, bin: string, cacheKey: string, report: Reporter): Promise<ClusterState> {
  for (const dir of [paths.root, paths.logs, paths.work, paths.etcdData]) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const [etcdClient, etcdPeer, apiserver, controllerManager, scheduler] = await freePorts(5);
  if (etcdClient === undefined || etcdPeer === undefined || apiserver === undefined || controllerManager === undefined || scheduler === undefined) {
    throw new Error('could not allocate ports');
  }
  const ports: ClusterPorts = { etcdClient, etcdPeer, apiserver, controllerManager, scheduler };
  generatePki(paths.pki, kubernetesServiceIp);
  const layout = layoutOf(paths, ports);
  writeFileSync(layout.kwokConfig, 'apiVersion: config.kwok.x-k8s.io/v1alpha1\nkind: KwokConfiguration\noptions: {}\n');
  const { pki } = layout;
  const server = apiserverUrl(layout);
  const processes: RecordedProcess[] = [];
  const state: ClusterState = { version: 1, cacheKey, server, kubeconfig: paths.kubeconfig, ports, processes, startedAt: new Date().toISOString() };
  const launch = (name: ComponentName): void => {
    processes.push(startDetached(name, join(bin, name), componentArgs(name, layout), join(paths.logs, `${name}.log`), paths.work));
    writeState(paths.stateFile, state);
  };
  const alive = (): string | undefined => {
    const dead = processes.find((p) => !isRunning(p));
    if (dead === undefined) return undefined;
    const log = join(paths.logs, `${dead.name}.log`);
    return `${dead.name} exited; last lines of ${log}:\n${tail(log)}`;
  };
  try {
    launch('etcd');
    await waitUntil('etcd', async () => (await httpGet(`${etcdUrl(layout)}/health`)).body.includes('"true"'), { timeoutMs: 30_000, alive });
    launch('kube-apiserver');
    const tls: ClientTls = { ca: readPem(pki.caCert), cert: readPem(pki.adminCert), key: readPem(pki.adminKey) };
    await waitUntil('kube-apiserver /readyz', () => apiserverReady(server, tls), { timeoutMs: 120_000, alive });
    writeFileSync(paths.kubeconfig, adminKubeconfig(server, pki), { mode: 0o600 });
    for (const name of componentNames.slice(2)) launch(name);
    const kc = new KubeConfig();
    kc.loadFromFile(paths.kubeconfig);
    const nodes = fakeNodeNames();
    await waitUntil('fake nodes to be created', async () => {
      await ensureFakeNodes(kc, nodes);
      return true;
    }, { timeoutMs: 30_000, alive });
    await waitUntil(`${nodes.length} Ready nodes`, async () => (await readyNodeCount(kc)) >= nodes.length, { timeoutMs: 60_000, alive });
    await waitUntil('the default ServiceAccount', () => defaultServiceAccountExists(server, tls), { timeoutMs: 60_000, alive });
    report(`control plane ready: ${server}`);
    return state;
  } catch (err) {
    await stopAll(processes).catch(() => undefined);
    throw err;
  }
}

function layoutOf(paths: StatePaths, ports: ClusterPorts): ClusterLayout {
  return {
    host: '127.0.0.1', ports, pki: pkiPaths(paths.pki), kubeconfig: paths.kubeconfig, etcdData: paths.etcdData,
    workDir: paths.work, serviceCidr, podCidr, kwokConfig: join(paths.work, 'kwok.yaml'),
  };
}

/**
 * Stops one component of the running control plane in `stateDir` (the others keep running):
 * without kube-apiserver, to clients the cluster is down; without etcd, the API server cannot
 * read or write. startComponent brings it back as it was.
 */
export async function stopComponent(stateDir: string, name: 'etcd' | 'kube-apiserver', signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
  const paths = statePaths(stateDir);
  const state = readState(paths.stateFile);
  if (state === undefined) throw new Error(`no control plane recorded in ${stateDir}`);
  await stopAll(state.processes.filter((p) => p.name === name), signal === 'SIGKILL' ? 0 : undefined);
}

/** Starts one component of `stateDir` again, on its port, with its certificates and data; resolves once it is ready. */
export async function startComponent(stateDir: string, name: 'etcd' | 'kube-apiserver'): Promise<void> {
  const paths = statePaths(stateDir);
  const state = readState(paths.stateFile);
  if (state === undefined) throw new Error(`no control plane recorded in ${stateDir}`);
  const layout = layoutOf(paths, state.ports);
  const started = startDetached(name, join(ensureBinaries(), name), componentArgs(name, layout), join(paths.logs, `${name}.log`), paths.work);
  const processes = [...state.processes.filter((p) => p.name !== name), started];
  writeState(paths.stateFile, { ...state, processes });
  const alive = (): string | undefined => (isRunning(started) ? undefined : `${name} exited; see ${join(paths.logs, `${name}.log`)}`);
  if (name === 'etcd') {
    await waitUntil('etcd', async () => (await httpGet(`${etcdUrl(layout)}/health`)).body.includes('"true"'), { timeoutMs: 30_000, alive });
    return;
  }
  const tls: ClientTls = { ca: readPem(layout.pki.caCert), cert: readPem(layout.pki.adminCert), key: readPem(layout.pki.adminKey) };
  await waitUntil('kube-apiserver /readyz', () => apiserverReady(state.server, tls), { timeoutMs: 120_000, alive });
}

/** Stops the API server of `stateDir`: to clients the cluster is down. */
export function stopApiserver(stateDir: string): Promise<void> {
  return stopComponent(stateDir, 'kube-apiserver');
}

/** Starts the API server of `stateDir` again; resolves once it is ready. */
export function startApiserver(stateDir: string): Promise<void> {
  return startComponent(stateDir, 'kube-apiserver');
}

/** etcd's client URL of the control plane in `stateDir` (plain HTTP on loopback). */
export function etcdClientUrl(stateDir: string): string {
  const paths = statePaths(stateDir);
  const state = readState(paths.stateFile);
  if (state === undefined) throw new Error(`no control plane recorded in ${stateDir}`);
  return etcdUrl(layoutOf(paths, state.ports));
}

async function defaultServiceAccountExists(server: string, tls: ClientTls): Promise<boolean> {
  return (await httpGet(`${server}/api/v1/namespaces/default/serviceaccounts/default`, tls)).status === 200;
}

function adminKubeconfig(server: string, pki: Pki): string {
  return renderAdminKubeconfig({
    server, user: adminUser, caCertPem: readPem(pki.caCert), clientCertPem: readPem(pki.adminCert), clientKeyPem: readPem(pki.adminKey),
  });
}

/** Stops every process of the control plane in `stateDir` and removes its state. */
export async function down(stateDir: string | undefined): Promise<{ stopped: number }> {
  const paths = statePaths(stateDir);
  const recorded = readState(paths.stateFile)?.processes ?? [];
  const running = recorded.filter(isRunning).length;
  await stopAll(recorded);
  await stopStrays(paths);
  rmSync(paths.root, { recursive: true, force: true });
  rmSync(paths.lockFile, { force: true });
  return { stopped: running };
}

export type Status = { readonly running: false; readonly detail: string } | { readonly running: true; readonly state: ClusterState };

export function status(stateDir: string | undefined): Status {
  const paths = statePaths(stateDir);
  const found = assessState(paths.stateFile, existsSync(paths.root), readVersions().cacheKey);
  if (found.kind === 'running') return { running: true, state: found.state };
  return { running: false, detail: found.kind === 'stale' ? `stale state (${found.reason}); cluster:up cleans it up` : 'not running' };
}

/** Live processes whose command line points into the state directory: there should be none after `down`. */
export function leftovers(stateDir: string | undefined): { pid: number; command: string }[] {
  return processesMentioning(`${statePaths(stateDir).root}/`);
}
