import type { KubeConfig } from '@kubernetes/client-node';
import type { ControllerMetrics } from '../../../src/controller/metrics.js';
import { Apps, installCrd, startController, type RunningController } from './capstan.js';
import { TestRepo } from './git-repo.js';
import { createNamespace, deleteNamespace, testKubeConfig, uniqueName } from './kube.js';

/**
 * What most core-loop tests share: a namespace for Applications, a controller in this process
 * that reconciles it, a Git repository, and clean-up that deletes the apps (with their objects)
 * while the controller still runs.
 */
export class Scenario {
  readonly kc: KubeConfig = testKubeConfig();
  readonly namespace: string;
  readonly repo = new TestRepo();
  readonly apps: Apps;
  private running: RunningController | undefined;
  private readonly extraNamespaces = new Set<string>();

  constructor(readonly name: string, private readonly options: { intervalMs?: number; concurrency?: number; metrics?: ControllerMetrics; protectOwnNamespace?: boolean; renderTimeoutMs?: number } = {}) {
    this.namespace = uniqueName(name);
    this.apps = new Apps(this.kc, this.namespace);
  }

  async setUp(): Promise<this> {
    await installCrd();
    await createNamespace(this.kc, this.namespace);
    await this.startController();
    return this;
  }

  async startController(): Promise<RunningController> {
    this.running = await startController({
      namespace: this.namespace, name: this.name,
      ...(this.options.intervalMs !== undefined ? { intervalMs: this.options.intervalMs } : {}),
      ...(this.options.concurrency !== undefined ? { concurrency: this.options.concurrency } : {}),
      ...(this.options.metrics !== undefined ? { metrics: this.options.metrics } : {}),
      ...(this.options.renderTimeoutMs !== undefined ? { renderTimeoutMs: this.options.renderTimeoutMs } : {}),
      ...(this.options.protectOwnNamespace === true ? { protectedNamespaces: [this.namespace] } : {}),
    });
    return this.running;
  }

  async stopController(): Promise<void> {
    await this.running?.stop();
    this.running = undefined;
  }

  get logFile(): string | undefined {
    return this.running?.logFile;
  }

  /** A destination namespace name for this scenario, deleted at tear-down. */
  destination(prefix: string): string {
    const ns = uniqueName(prefix);
    this.extraNamespaces.add(ns);
    return ns;
  }

  async tearDown(): Promise<void> {
    const apps = await this.apps.list().catch(() => []);
    if (this.running !== undefined) {
      await Promise.all(apps.map((a) => this.apps.delete(a, { wait: true }).catch(() => undefined)));
    }
    await this.stopController();
    for (const ns of [...this.extraNamespaces, this.namespace]) await deleteNamespace(this.kc, ns);
    this.repo.destroy();
  }
}
