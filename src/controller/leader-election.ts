import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { isRecord } from '../api/object.js';
import { isConflict, isNotFound } from '../cluster/errors.js';
import type { KubeHttp, RequestSpec } from '../cluster/http.js';

export interface LeaderElectionOptions {
  /**
   * The elector's own client, apart from the controller's: lease requests never queue behind
   * its watches, and they are not subject to its write gate.
   */
  readonly http: KubeHttp;
  readonly namespace: string;
  readonly leaseName: string;
  readonly identity?: string;
  /** How long a lease is valid after its last renewal (default 15 s). */
  readonly leaseDurationMs?: number;
  /** A leader that could not renew for this long steps down (default 10 s; less than the lease duration). */
  readonly renewDeadlineMs?: number;
  /** How often to try to acquire or renew (default 2 s). */
  readonly retryPeriodMs?: number;
  readonly logger: Logger;
  /** The clock, in milliseconds (default Date.now). */
  readonly now?: () => number;
}

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

interface Lease {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, unknown>;
  spec?: LeaseSpec;
}

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
const microTime = (d: Date): string => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

export function defaultIdentity(): string {
  return `${hostname()}_${randomBytes(4).toString('hex')}`;
}

/** What one candidate does with the lease as it reads it now. */
export type LeaseDecision =
  | { readonly kind: 'create' | 'update'; readonly spec: LeaseSpec }
  | { readonly kind: 'held'; readonly holder: string };

/**
 * The lease a candidate writes, or who holds it. It renews its own lease; it takes over a lease
 * that is free, or whose record it has seen unchanged for a whole lease duration (its own
 * clock, so clock skew between replicas does not matter).
 */
export function decideLease(
  current: LeaseSpec | undefined,
  input: { readonly identity: string; readonly now: Date; readonly leaseDurationMs: number; readonly unchangedForMs: number },
): LeaseDecision {
  const durationSeconds = Math.ceil(input.leaseDurationMs / 1000);
  const now = microTime(input.now);
  if (current === undefined) {
    return { kind: 'create', spec: { holderIdentity: input.identity, leaseDurationSeconds: durationSeconds, acquireTime: now, renewTime: now, leaseTransitions: 0 } };
  }
  const holder = current.holderIdentity ?? '';
  const mine = holder === input.identity;
  const expired = holder === '' || input.unchangedForMs > (current.leaseDurationSeconds ?? durationSeconds) * 1000;
  if (!mine && !expired) return { kind: 'held', holder };
  return {
    kind: 'update',
    spec: {
      ...current, holderIdentity: input.identity, leaseDurationSeconds: durationSeconds, renewTime: now,
      ...(mine ? {} : { acquireTime: now, leaseTransitions: (current.leaseTransitions ?? 0) + 1 }),
    },
  };
}

/**
 * How long this replica may act as leader: until the renew deadline after the last successful
 * renewal, counted from when that renewal was sent (the API server stored it later, and a
 * successor's wait for the lease duration starts later still).
 */
export class LeadershipWindow {
  private sentAt: number | undefined;
  private ended = false;

  constructor(private readonly renewDeadlineMs: number, private readonly now: () => number) {}

  /** A renewal (or the acquisition) sent at `sentAt` succeeded. */
  renewed(sentAt: number): void {
    if (!this.ended) this.sentAt = Math.max(sentAt, this.sentAt ?? sentAt);
  }

  /** Leadership is over for good (released, or seen taken). */
  end(): void {
    this.ended = true;
  }

  /** Until when leadership lasts without another renewal (-Infinity when it never began or ended). */
  get deadlineAt(): number {
    return this.ended || this.sentAt === undefined ? -Infinity : this.sentAt + this.renewDeadlineMs;
  }

  get valid(): boolean {
    return this.now() < this.deadlineAt;
  }

  get remainingMs(): number {
    return Math.max(0, this.deadlineAt - this.now());
  }
}

type RoundResult = 'holding' | 'held-by-other' | 'failed';

/**
 * Leader election on a coordination.k8s.io Lease, as client-go does it: the holder renews the
 * lease every retry period; another candidate takes it over only when it has seen the same
 * lease record unchanged for a whole lease duration; a leader that steps down clears the holder
 * so a successor need not wait.
 *
 * Leadership is a time window, not a flag: `isLeader` turns false at the renew deadline even
 * when the renewal that would extend it is still waiting for an answer, and every lease request
 * is cut off at that deadline. A successor waits a lease duration (longer than the renew
 * deadline) from when it saw the last renewal, so the two never act at once.
 */
export class LeaderElector {
  readonly identity: string;
  private readonly window: LeadershipWindow;
  private observed: { record: string; at: number } | undefined;
  private renewLoop: Promise<void> | undefined;
  private readonly stopRenewing = new AbortController();
  private readonly now: () => number;

  constructor(private readonly options: LeaderElectionOptions) {
    this.identity = options.identity ?? defaultIdentity();
    this.now = options.now ?? Date.now;
    if (this.renewDeadlineMs >= this.leaseDurationMs) {
      throw new Error(`the renew deadline (${this.renewDeadlineMs} ms) must be shorter than the lease duration (${this.leaseDurationMs} ms)`);
    }
    if (this.retryPeriodMs >= this.renewDeadlineMs) {
      throw new Error(`the retry period (${this.retryPeriodMs} ms) must be shorter than the renew deadline (${this.renewDeadlineMs} ms)`);
    }
    this.window = new LeadershipWindow(this.renewDeadlineMs, this.now);
  }

  private get leaseDurationMs(): number {
    return this.options.leaseDurationMs ?? 15_000;
  }

  private get renewDeadlineMs(): number {
    return this.options.renewDeadlineMs ?? 10_000;
  }

  private get retryPeriodMs(): number {
    return this.options.retryPeriodMs ?? 2_000;
  }

  /** True while the last renewal is younger than the renew deadline (and leadership was not given up). */
  get isLeader(): boolean {
    return this.window.valid;
  }

  /** Resolves once this candidate holds the lease (or rejects when `signal` aborts). */
  async acquire(signal: AbortSignal): Promise<void> {
    for (;;) {
      // An acquisition that takes longer than the renew deadline would win an expired lease.
      const result = await this.round(this.now() + this.renewDeadlineMs, signal).catch((err: unknown) => {
        if (!signal.aborted) this.options.logger.warn({ err }, 'leader election: could not read or write the lease');
        return 'failed' as const;
      });
      if (result === 'holding') {
        this.options.logger.info({ identity: this.identity, lease: `${this.options.namespace}/${this.options.leaseName}` }, 'became leader');
        return;
      }
      signal.throwIfAborted();
      await sleep(this.retryPeriodMs, undefined, { signal });
    }
  }

  /**
   * Keeps renewing, from now on (call it as soon as `acquire` resolves). Calls `onLost` once,
   * at the renew deadline when no renewal succeeded by then, or at once when another replica
   * holds the lease.
   */
  keepRenewing(onLost: () => void): void {
    if (this.renewLoop !== undefined) throw new Error('keepRenewing called twice');
    this.renewLoop = this.renewUntilLost(onLost);
  }

  private async renewUntilLost(onLost: () => void): Promise<void> {
    const stop = this.stopRenewing.signal;
    const stopped = (): boolean => stop.aborted;
    for (;;) {
      // Wake up at the deadline at the latest, so that losing it is noticed when it happens.
      await sleep(Math.min(this.retryPeriodMs, this.window.remainingMs), undefined, { signal: stop }).catch(() => undefined);
      if (stopped()) return;
      let result: RoundResult = 'failed';
      if (this.window.valid) {
        result = await this.round(this.window.deadlineAt, stop).catch((err: unknown) => {
          if (!stopped()) this.options.logger.warn({ err }, 'leader election: could not renew the lease');
          return 'failed' as const;
        });
      }
      if (stopped()) return;
      if (result === 'holding') continue;
      if (result === 'held-by-other' || !this.window.valid) {
        this.window.end();
        const why = result === 'held-by-other' ? 'another replica holds the lease' : 'no renewal succeeded within the renew deadline';
        this.options.logger.error({ identity: this.identity, why }, 'lost the lease: stopping');
        onLost();
        return;
      }
    }
  }

  /**
   * Stops renewing and, if still the leader, clears the lease so another replica takes over at
   * once. A lease already lost is not touched: it may be someone else's by now.
   */
  async release(): Promise<void> {
    this.stopRenewing.abort();
    await this.renewLoop;
    const deadlineAt = this.window.deadlineAt;
    const leading = this.window.valid;
    this.window.end();
    if (!leading) return;
    try {
      const lease = await this.readLease(deadlineAt);
      if (lease?.spec?.holderIdentity !== this.identity) return;
      const spec: LeaseSpec = { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(new Date(this.now())) };
      await this.send(deadlineAt, { method: 'PUT', path: this.leasePath(), body: { ...lease, spec } });
      this.options.logger.info({ identity: this.identity }, 'released the lease');
    } catch (err) {
      this.options.logger.warn({ err }, 'could not release the lease; a successor waits for it to expire');
    }
  }

  /** One round: create, renew or take over the lease, every request cut off at `deadlineAt`. */
  private async round(deadlineAt: number, signal: AbortSignal): Promise<RoundResult> {
    const lease = await this.readLease(deadlineAt, signal);
    const spec = lease?.spec ?? {};
    const record = JSON.stringify([spec.holderIdentity, spec.renewTime, spec.leaseDurationSeconds]);
    if (lease === undefined) this.observed = undefined;
    else if (this.observed?.record !== record) this.observed = { record, at: this.now() };
    const decision = decideLease(lease === undefined ? undefined : spec, {
      identity: this.identity, now: new Date(this.now()), leaseDurationMs: this.leaseDurationMs,
      unchangedForMs: this.observed === undefined ? 0 : this.now() - this.observed.at,
    });
    if (decision.kind === 'held') return 'held-by-other';
    const metadata = decision.kind === 'create' ? { name: this.options.leaseName, namespace: this.options.namespace } : lease?.metadata;
    const body: Lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata, spec: decision.spec };
    const sentAt = this.now();
    try {
      await this.send(deadlineAt, decision.kind === 'create'
        ? { method: 'POST', path: this.leasePath(false), body }
        : { method: 'PUT', path: this.leasePath(), body }, signal);
    } catch (err) {
      // Someone else wrote the lease first: read it again next round.
      if (isConflict(err)) return 'failed';
      throw err;
    }
    this.window.renewed(sentAt);
    return 'holding';
  }

  private async readLease(deadlineAt: number, signal?: AbortSignal): Promise<Lease | undefined> {
    try {
      return asLease(await this.send(deadlineAt, { method: 'GET', path: this.leasePath() }, signal));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** One lease request, answered by `deadlineAt` or abandoned. */
  private async send(deadlineAt: number, spec: Pick<RequestSpec, 'method' | 'path' | 'body'>, signal?: AbortSignal): Promise<unknown> {
    const leftMs = Math.floor(deadlineAt - this.now());
    if (leftMs <= 0) throw new Error(`${spec.method} ${spec.path}: the renew deadline has passed`);
    const timeout = AbortSignal.timeout(leftMs);
    return this.options.http.json({
      ...spec, timeoutMs: leftMs, signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
    });
  }

  private leasePath(named = true): string {
    const base = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(this.options.namespace)}/leases`;
    return named ? `${base}/${encodeURIComponent(this.options.leaseName)}` : base;
  }
}

function asLease(value: unknown): Lease | undefined {
  if (!isRecord(value)) return undefined;
  const metadata = value['metadata'];
  const spec = value['spec'];
  return { ...value, metadata: isRecord(metadata) ? metadata : {}, spec: isRecord(spec) ? spec : {} };
}
