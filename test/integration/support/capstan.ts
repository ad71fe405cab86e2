import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { locateTools, toolNames, type ToolPaths } from '../../../src/render/tools/locate.js';
import { toolsDir } from '../../../tools/versions.js';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, CustomObjectsApi, type CoreV1Event, type KubeConfig } from '@kubernetes/client-node';
import { pino } from 'pino';
import type { Application } from '../../../src/api/application.js';
import { Controller } from '../../../src/controller/controller.js';
import type { ControllerMetrics } from '../../../src/controller/metrics.js';
import { repoRoot } from '../../cluster/paths.js';
import { eventually, testKubeconfigPath } from './kube.js';

const group = 'capstan.dev';
const version = 'v1alpha1';
const plural = 'applications';

/** Runs kubectl against the test cluster and returns its output. */
export function kubectl(...args: string[]): string {
  return execFileSync('kubectl', ['--kubeconfig', testKubeconfigPath(), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Runs the capstan CLI (src/cli/main.ts) against the test cluster; never throws. Asynchronous,
 * so a controller running in this process keeps working while the CLI waits for it.
 */
export function capstanCli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'main.ts'), ...args], {
      cwd: repoRoot, encoding: 'utf8', env: { ...process.env, KUBECONFIG: testKubeconfigPath(), NO_COLOR: '1' }, timeout: 120_000,
    }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** `kubectl create -f -` of one object; returns kubectl's error output when it refuses. */
export function kubectlCreate(object: unknown): { ok: true } | { ok: false; stderr: string } {
  const result = spawnSync('kubectl', ['--kubeconfig', testKubeconfigPath(), 'create', '-f', '-'], { input: JSON.stringify(object), encoding: 'utf8' });
  return result.status === 0 ? { ok: true } : { ok: false, stderr: result.stderr };
}

/** `kubectl apply --server-side -f -` of one object (throws when kubectl refuses). */
export function kubectlApply(object: unknown): void {
  execFileSync('kubectl', ['--kubeconfig', testKubeconfigPath(), 'apply', '--server-side', '-f', '-'], { input: JSON.stringify(object), stdio: ['pipe', 'pipe', 'pipe'] });
}

/**
 * Waits until each named CRD reports Established=True. Polls the CRD itself: `kubectl wait --for=condition`
 * gives up at once on a CRD created a moment ago whose status has no conditions yet.
 */
export async function waitForCrdsEstablished(...names: string[]): Promise<void> {
  for (const name of names) {
    await eventually(`CRD ${name} to be Established`, () => {
      const crd = JSON.parse(kubectl('get', 'crd', name, '-o', 'json')) as { status?: { conditions?: { type: string; status: string }[] } };
      const established = (crd.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
      return Promise.resolve(established ? true : undefined);
    });
  }
}

/** Installs (or updates) the CRDs from crds/ (Application, AppProject) and waits until they are served. */
export async function installCrd(): Promise<void> {
  kubectl('apply', '--server-side', '--force-conflicts', '-f', join(repoRoot, 'crds', 'application.yaml'), '-f', join(repoRoot, 'crds', 'appproject.yaml'));
  await waitForCrdsEstablished('applications.capstan.dev', 'appprojects.capstan.dev');
  await eventually('the Application and AppProject kinds to be served', () => {
    const served = kubectl('api-resources', '--api-group=capstan.dev');
    return Promise.resolve(served.includes('Application') && served.includes('AppProject') ? true : undefined);
  });
}

export interface RunningController {
  readonly controller: Controller;
  readonly logFile: string;
  stop(): Promise<void>;
}

/** kustomize, helm and jsonnet as tools/build.sh builds them; a test fails at once when one is missing. */
export function testRenderTools(): ToolPaths {
  const tools = locateTools({ toolsDir: toolsDir(), searchPath: '' });
  const missing = [...toolNames, 'jsonnet-deps' as const].filter((t) => tools[t] === undefined);
  if (missing.length > 0) throw new Error(`render tools missing from ${toolsDir()}: ${missing.join(', ')}`);
  return tools;
}

/**
 * Starts a controller in this process that reconciles the Applications of `namespace` (its own:
 * AppProjects are read there) and of each of `extraNamespaces`.
 */
export async function startController(options: { namespace: string; extraNamespaces?: string[]; name: string; intervalMs?: number; minIntervalMs?: number; concurrency?: number; cacheDir?: string; metrics?: ControllerMetrics; protectedNamespaces?: string[]; renderTimeoutMs?: number; argocd?: boolean }): Promise<RunningController> {
  const logDir = join(repoRoot, '.capstan', 'test-logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${options.name}.log`);
  const logger = pino({ level: 'debug' }, pino.destination({ dest: logFile, sync: true, append: true }));
  const cacheDir = options.cacheDir ?? mkdtempSync(join(tmpdir(), 'capstan-cache-'));
  const controller = await Controller.start({
    kubeconfig: testKubeconfigPath(), namespaces: [options.namespace, ...(options.extraNamespaces ?? [])], intervalMs: options.intervalMs ?? 600_000,
    // Tests poll every few seconds.
    minIntervalMs: options.minIntervalMs ?? 1_000,
    concurrency: options.concurrency ?? 4, cacheDir, logger,
    // Test repositories are local directories.
    allowLocalRepos: true,
    settings: { waveTimeoutMs: 60_000, ...(options.protectedNamespaces !== undefined ? { protectedNamespaces: options.protectedNamespaces } : {}) },
    ...(options.metrics !== undefined ? { metrics: options.metrics } : {}),
    ...(options.argocd === true ? { argocd: true } : {}),
    // The pinned render tools (npm test builds them; run alone, a test builds them on first use).
    render: { tools: testRenderTools(), ...(options.renderTimeoutMs !== undefined ? { timeoutMs: options.renderTimeoutMs } : {}) },
  });
  return {
    controller, logFile,
    stop: async () => {
      await controller.stop(10_000);
      if (options.cacheDir === undefined) rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

export interface AppSpecInput {
  repoURL: string;
  path?: string;
  targetRevision?: string;
  destinationNamespace?: string;
  automated?: { prune?: boolean; selfHeal?: boolean; allowEmpty?: boolean } | null;
  syncOptions?: string[];
  interval?: string;
  extraSpec?: Record<string, unknown>;
}

/** Creates, reads and changes Applications through the API server (client-node, not Capstan's own client). */
export class Apps {
  private readonly custom: CustomObjectsApi;
  private readonly core: CoreV1Api;

  constructor(kc: KubeConfig, readonly namespace: string) {
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.core = kc.makeApiClient(CoreV1Api);
  }

  async create(name: string, input: AppSpecInput): Promise<Application> {
    const spec: Record<string, unknown> = {
      source: { repoURL: input.repoURL, path: input.path ?? '.', ...(input.targetRevision !== undefined ? { targetRevision: input.targetRevision } : {}) },
      destination: { namespace: input.destinationNamespace ?? name },
      ...(input.interval !== undefined ? { interval: input.interval } : {}),
      syncPolicy: {
        ...(input.automated === null ? {} : { automated: input.automated ?? { prune: true, selfHeal: true } }),
        syncOptions: input.syncOptions ?? ['CreateNamespace=true'],
      },
      ...(input.extraSpec ?? {}),
    };
    return (await this.custom.createNamespacedCustomObject({
      group, version, plural, namespace: this.namespace,
      body: { apiVersion: `${group}/${version}`, kind: 'Application', metadata: { name }, spec },
    })) as Application;
  }

  async list(): Promise<string[]> {
    const list = (await this.custom.listNamespacedCustomObject({ group, version, plural, namespace: this.namespace })) as { items?: Application[] };
    return (list.items ?? []).map((a) => a.metadata.name ?? '');
  }

  async get(name: string): Promise<Application | undefined> {
    try {
      return (await this.custom.getNamespacedCustomObject({ group, version, plural, namespace: this.namespace, name })) as Application;
    } catch {
      return undefined;
    }
  }

  async mustGet(name: string): Promise<Application> {
    const app = await this.get(name);
    if (app === undefined) throw new Error(`Application ${name} not found`);
    return app;
  }

  /** `kubectl annotate --overwrite` (a null value removes the annotation). */
  annotate(name: string, annotations: Record<string, string | null>): void {
    const args = Object.entries(annotations).map(([k, v]) => (v === null ? `${k}-` : `${k}=${v}`));
    kubectl('-n', this.namespace, 'annotate', '--overwrite', 'applications.capstan.dev', name, ...args);
  }

  patchSpec(name: string, spec: Record<string, unknown>): void {
    kubectl('-n', this.namespace, 'patch', 'applications.capstan.dev', name, '--type', 'merge', '-p', JSON.stringify({ spec }));
  }

  async delete(name: string, options: { wait?: boolean } = {}): Promise<void> {
    await this.custom.deleteNamespacedCustomObject({ group, version, plural, namespace: this.namespace, name });
    if (options.wait === true) await eventually(`Application ${name} to be gone`, async () => ((await this.get(name)) === undefined ? true : undefined), 90_000);
  }

  /** Waits until the app satisfies `check`; the failure message shows the last status seen. */
  async waitFor(name: string, what: string, check: (app: Application) => boolean, timeoutMs = 60_000): Promise<Application> {
    let last: Application | undefined;
    try {
      return await eventually(`${name}: ${what}`, async () => {
        last = await this.get(name);
        return last !== undefined && check(last) ? last : undefined;
      }, timeoutMs, 250);
    } catch (err) {
      throw new Error(`${err instanceof Error ? err.message : String(err)}\nlast status: ${JSON.stringify(last?.status ?? null, null, 1)}`);
    }
  }

  async events(name: string): Promise<CoreV1Event[]> {
    const list = await this.core.listNamespacedEvent({ namespace: this.namespace, fieldSelector: `involvedObject.name=${name},involvedObject.kind=Application` });
    return list.items;
  }
}

export const isSyncedHealthy = (app: Application): boolean =>
  app.status?.sync?.status === 'Synced' && app.status.health?.status === 'Healthy';

export function readyCondition(app: Application): { reason: string; message: string; status: string } | undefined {
  return app.status?.conditions?.find((c) => c.type === 'Ready');
}
