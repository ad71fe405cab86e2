/**
 * The controller as the campaign runs it: `replicas` processes of `capstan controller
 * --leader-elect`, each behind an API proxy of its own that records its writes, and a
 * supervisor that starts a new process in place of one that exited (as the kubelet restarts a
 * pod), unless the scenario holds that slot down.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ApiProxy, isLeaseRequest } from '../integration/support/api-proxy.js';
import { ControllerProcess } from '../integration/support/controller-process.js';
import { eventually } from '../integration/support/kube.js';
import type { ControllerWrite } from './invariants.js';

/** Lease timings in the ratio of the defaults: a leader steps down 2 s before a standby may take over. */
export const leaseFlags = ['--lease-duration=6s', '--renew-deadline=4s', '--retry-period=1s'];

export interface ReplicaOptions {
  readonly namespace: string;
  readonly adminKubeconfig: string;
  readonly workDir: string;
  readonly replicas: number;
  readonly extraArgs?: readonly string[];
  /** Where slot `i`'s proxy listens and the command its controller runs under (a network namespace). */
  readonly placement?: (slot: number) => { readonly proxyHost: string; readonly wrapper: readonly string[] };
}

export interface ControllerInstance {
  readonly name: string;
  readonly slot: number;
  readonly process: ControllerProcess;
  readonly proxy: ApiProxy;
  /** Its lease identity, once its log has said it. */
  identity(): string | undefined;
}

const isEvent = (path: string): boolean => /\/events(?:[/?]|$)/.test(path);

export class Replicas {
  private readonly all: ControllerInstance[] = [];
  private readonly current = new Map<number, ControllerInstance>();
  private readonly held = new Set<number>();
  private stopping = false;
  private started = 0;
  /** Restarts that failed: the harness reports them. */
  readonly failures: string[] = [];

  constructor(private readonly options: ReplicaOptions) {
    mkdirSync(options.workDir, { recursive: true });
  }

  /** Starts every slot and waits until each process has said its lease identity. */
  async start(): Promise<void> {
    for (let slot = 0; slot < this.options.replicas; slot++) {
      const instance = await this.launch(slot);
      await eventually(`${instance.name} to say its lease identity`, () => Promise.resolve(instance.identity()), 60_000);
    }
  }

  /** The process that holds `identity`, if it is one of ours. */
  byIdentity(identity: string | undefined): ControllerInstance | undefined {
    return identity === undefined ? undefined : this.all.find((c) => c.identity() === identity);
  }

  live(): ControllerInstance[] {
    return [...this.current.values()];
  }

  /** Every instance's lease identity (name → identity). */
  identities(): Map<string, string> {
    return new Map(this.all.flatMap((c) => {
      const identity = c.identity();
      return identity === undefined ? [] : [[c.name, identity] as const];
    }));
  }

  /** The writes (lease renewals and Events aside) every instance made after `since`. */
  writesSince(since: number): ControllerWrite[] {
    return this.all.flatMap((c) => c.proxy.writes().filter((w) => w.at >= since && !isLeaseRequest(w.path) && !isEvent(w.path)).map((w) => ({ controller: c.name, ...w })));
  }

  /** Keeps slot `slot` down (no new process when its process exits) until `release`. */
  hold(slot: number): void {
    this.held.add(slot);
  }

  async release(slot: number): Promise<void> {
    this.held.delete(slot);
    if (!this.current.has(slot) && !this.stopping) await this.launch(slot);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const c of this.all) await c.process.ensureStopped();
    for (const c of this.all) await c.proxy.close();
  }

  private async launch(slot: number): Promise<ControllerInstance> {
    const placement = this.options.placement?.(slot);
    const proxy = await ApiProxy.start(this.options.adminKubeconfig, placement?.proxyHost);
    const name = `${this.options.namespace}-c${slot}-${this.started++}`;
    const process = new ControllerProcess({
      namespace: this.options.namespace, name, interval: '2s', cacheDir: join(this.options.workDir, `cache-${slot}`),
      kubeconfig: proxy.writeKubeconfig(join(this.options.workDir, `${name}.kubeconfig`)),
      extraArgs: ['--leader-elect', ...leaseFlags, ...(this.options.extraArgs ?? [])],
      ...(placement !== undefined ? { wrapper: placement.wrapper } : {}),
    });
    let identity: string | undefined;
    const instance: ControllerInstance = {
      name, slot, process, proxy,
      identity: () => {
        if (identity === undefined) {
          const line = process.logLines().find((l) => l.msg === 'waiting for leadership');
          if (typeof line?.['identity'] === 'string') identity = line['identity'];
        }
        return identity;
      },
    };
    this.all.push(instance);
    this.current.set(slot, instance);
    void process.exited.then(async () => {
      if (this.current.get(slot) === instance) this.current.delete(slot);
      if (!this.stopping && !this.held.has(slot)) await this.launch(slot);
    }).catch((err: unknown) => {
      this.failures.push(`slot ${slot} could not be restarted: ${err instanceof Error ? err.message : String(err)}`);
    });
    return instance;
  }
}
