import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { isRecord, type KubeObject } from '../api/object.js';
import { isConflict } from '../cluster/errors.js';
import type { ResourceClient } from '../cluster/resources.js';

export interface LeaderElectionOptions {
  readonly resources: ResourceClient;
  readonly namespace: string;
  readonly leaseName: string;
  readonly identity?: string;
  /** How long a lease is valid after its last renewal (default 15 s). */
  readonly leaseDurationMs?: number;
  /** A leader that could not renew for this long steps down (default 10 s). */
  readonly renewDeadlineMs?: number;
  /** How often to try to acquire or renew (default 2 s). */
  readonly retryPeriodMs?: number;
  readonly logger: Logger;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
const microTime = (d = new Date()): string => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

export function defaultIdentity(): string {
  return `${hostname()}_${randomBytes(4).toString('hex')}`;
}

/**
 * Leader election on a coordination.k8s.io Lease, as client-go does it: the holder renews the
 * lease every retry period; another candidate takes it over only when it has seen the same
 * lease record unchanged for a whole lease duration (its own clock, so clock skew does not
 * matter); a leader that steps down clears the holder so a successor need not wait.
 */
export class LeaderElector {
  readonly identity: string;
  private observed: { record: string; at: number } | undefined;
  private renewLoop: Promise<void> | undefined;
  private readonly stopRenewing = new AbortController();
  private leading = false;

  constructor(private readonly options: LeaderElectionOptions) {
    this.identity = options.identity ?? defaultIdentity();
  }

  private get leaseDurationMs(): number {
    return this.options.leaseDurationMs ?? 15_000;
  }

  private get retryPeriodMs(): number {
    return this.options.retryPeriodMs ?? 2_000;
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** Resolves once this candidate holds the lease (or rejects when `signal` aborts). */
  async acquire(signal: AbortSignal): Promise<void> {
    for (;;) {
      if (await this.tryAcquireOrRenew().catch((err: unknown) => {
        this.options.logger.warn({ err }, 'leader election: could not read or write the lease');
        return false;
      })) {
        this.leading = true;
        this.options.logger.info({ identity: this.identity, lease: `${this.options.namespace}/${this.options.leaseName}` }, 'became leader');
        return;
      }
      await sleep(this.retryPeriodMs, undefined, { signal });
    }
  }

  /** Keeps renewing; calls `onLost` (once) when the lease could not be renewed within the renew deadline. */
  keepRenewing(onLost: () => void): void {
    const deadline = this.options.renewDeadlineMs ?? 10_000;
    this.renewLoop = (async () => {
      let lastRenew = Date.now();
      const stopped = (): boolean => this.stopRenewing.signal.aborted;
      while (!stopped()) {
        await sleep(this.retryPeriodMs, undefined, { signal: this.stopRenewing.signal }).catch(() => undefined);
        if (stopped()) return;
        const renewed = await this.tryAcquireOrRenew().catch(() => false);
        if (renewed) lastRenew = Date.now();
        else if (Date.now() - lastRenew > deadline) {
          this.leading = false;
          this.options.logger.error({ identity: this.identity }, 'lost the lease: stopping');
          onLost();
          return;
        }
      }
    })();
  }

  /** Stops renewing and, if still the holder, clears the lease so another replica takes over at once. */
  async release(): Promise<void> {
    this.stopRenewing.abort();
    await this.renewLoop;
    if (!this.leading) return;
    this.leading = false;
    const lease = await this.options.resources.get('coordination.k8s.io/v1', 'Lease', this.options.namespace, this.options.leaseName);
    if (lease === undefined || specOf(lease).holderIdentity !== this.identity) return;
    await this.options.resources.replace({
      ...lease, spec: { ...specOf(lease), holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime() },
    }).catch((err: unknown) => {
      this.options.logger.warn({ err }, 'could not release the lease; a successor waits for it to expire');
    });
    this.options.logger.info({ identity: this.identity }, 'released the lease');
  }

  /** One round: create, renew or take over the lease. True when this candidate holds it afterwards. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const { resources, namespace, leaseName } = this.options;
    const now = new Date();
    const durationSeconds = Math.ceil(this.leaseDurationMs / 1000);
    const lease = await resources.get('coordination.k8s.io/v1', 'Lease', namespace, leaseName);
    if (lease === undefined) {
      try {
        await resources.create({
          apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: leaseName, namespace },
          spec: { holderIdentity: this.identity, leaseDurationSeconds: durationSeconds, acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: 0 },
        });
        return true;
      } catch (err) {
        if (isConflict(err)) return false;
        throw err;
      }
    }
    const spec = specOf(lease);
    const record = JSON.stringify([spec.holderIdentity, spec.renewTime, spec.leaseDurationSeconds]);
    if (this.observed?.record !== record) this.observed = { record, at: Date.now() };
    const holder = spec.holderIdentity ?? '';
    const mine = holder === this.identity;
    const expired = holder === '' || Date.now() - this.observed.at > (spec.leaseDurationSeconds ?? durationSeconds) * 1000;
    if (!mine && !expired) return false;
    const next: LeaseSpec = {
      ...spec, holderIdentity: this.identity, leaseDurationSeconds: durationSeconds, renewTime: microTime(now),
      ...(mine ? {} : { acquireTime: microTime(now), leaseTransitions: (spec.leaseTransitions ?? 0) + 1 }),
    };
    try {
      await resources.replace({ ...lease, spec: next });
      return true;
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
  }
}

function specOf(lease: KubeObject): LeaseSpec {
  const spec: unknown = lease['spec'];
  return isRecord(spec) ? spec : {};
}
