/**
 * Webhook refreshes, coalesced per repository: many pushes within a short window cost one
 * refresh (one ls-remote, one reconcile and status write per app), and a push naming a commit
 * the last refresh already found costs nothing.
 */
import type { RefreshHint } from './webhook-target.js';

/** One refresh of one repository's apps. */
export interface RefreshBatch {
  readonly appKeys: readonly string[];
  /** One URL per repository, as the payload gave it (credentials removed). */
  readonly repoUrls: readonly string[];
  readonly reason: string;
}

/** ref name → the commit it points at, as a refresh just found it. */
export type FoundRefs = ReadonlyMap<string, string>;

/** refreshed: this push started a refresh; merged: into the one at the end of the window; known: nothing new. */
export type CoalesceOutcome = 'refreshed' | 'merged' | 'known';

export interface RefreshCoalescerOptions {
  /** Runs one refresh. Only its rejection is reported, to the push that started it. */
  readonly run: (batch: RefreshBatch) => Promise<void>;
  /**
   * Called right after each refresh, with the refs the pushes named: where they point now, from
   * what the refresh fetched (it must not ask the remote again). Without it, every push counts.
   */
  readonly found?: (repoUrls: readonly string[], refs: readonly string[]) => Promise<FoundRefs>;
  /** A repository is refreshed at most once per window; pushes within it make one more refresh at its end. */
  readonly windowMs?: number;
  /** How long what a refresh found answers later pushes that name the same commit. */
  readonly knownForMs?: number;
  readonly onOutcome?: (outcome: CoalesceOutcome) => void;
  /** Failures of refreshes nobody waits for (the one at the end of a window). */
  readonly onError?: (err: unknown) => void;
  readonly now?: () => number;
}

export const refreshCoalescerDefaults = { windowMs: 1_000, knownForMs: 60_000 } as const;

interface Pending {
  readonly appKeys: Set<string>;
  readonly repoUrls: Set<string>;
  reason: string;
  readonly hints: RefreshHint[];
  /** A push that named no commit: only a refresh can tell what it brought. */
  blind: boolean;
}

interface RepoState {
  running: boolean;
  /** No refresh starts before this: the end of the window of the last one. */
  quietUntil: number;
  found: FoundRefs;
  foundAt: number;
  pending: Pending | undefined;
  timer: NodeJS.Timeout | undefined;
}

export class RefreshCoalescer {
  private readonly repos = new Map<string, RepoState>();
  private readonly windowMs: number;
  private readonly knownForMs: number;
  private readonly now: () => number;

  constructor(private readonly options: RefreshCoalescerOptions) {
    this.windowMs = options.windowMs ?? refreshCoalescerDefaults.windowMs;
    this.knownForMs = options.knownForMs ?? refreshCoalescerDefaults.knownForMs;
    this.now = options.now ?? Date.now;
  }

  /**
   * One push for the repository `key` (its normalised URLs). Resolves when this push is taken
   * care of: at once when it was merged or brought nothing new, else when its refresh has run
   * (rejecting when that failed).
   */
  push(key: string, batch: RefreshBatch, hint?: RefreshHint): Promise<void> {
    const state = this.repos.get(key);
    if (state !== undefined && hint !== undefined && this.isKnown(state, hint)) {
      this.options.onOutcome?.('known');
      return Promise.resolve();
    }
    if (state === undefined || (!state.running && state.pending === undefined && this.now() >= state.quietUntil)) {
      this.options.onOutcome?.('refreshed');
      return this.start(key, state ?? this.newState(key), batch, hint === undefined ? [] : [hint]);
    }
    this.merge(state, batch, hint);
    this.options.onOutcome?.('merged');
    if (!state.running) this.scheduleTrailing(key, state);
    return Promise.resolve();
  }

  /** Repositories with a refresh running, pending or remembered. */
  get size(): number {
    return this.repos.size;
  }

  private newState(key: string): RepoState {
    const state: RepoState = { running: false, quietUntil: 0, found: new Map(), foundAt: 0, pending: undefined, timer: undefined };
    this.repos.set(key, state);
    return state;
  }

  private isKnown(state: RepoState, hint: RefreshHint): boolean {
    return this.now() - state.foundAt < this.knownForMs && state.found.get(hint.ref) === hint.revision;
  }

  private merge(state: RepoState, batch: RefreshBatch, hint: RefreshHint | undefined): void {
    const pending = state.pending ?? { appKeys: new Set(), repoUrls: new Set(), reason: batch.reason, hints: [], blind: false };
    for (const key of batch.appKeys) pending.appKeys.add(key);
    for (const url of batch.repoUrls) pending.repoUrls.add(url);
    pending.reason = batch.reason;
    if (hint === undefined) pending.blind = true;
    else if (!pending.hints.some((h) => h.ref === hint.ref && h.revision === hint.revision)) pending.hints.push(hint);
    state.pending = pending;
  }

  private async start(key: string, state: RepoState, batch: RefreshBatch, hints: readonly RefreshHint[]): Promise<void> {
    this.clearTimer(state);
    state.running = true;
    state.quietUntil = this.now() + this.windowMs;
    try {
      await this.options.run(batch);
    } finally {
      await this.learn(state, batch.repoUrls, hints);
      state.running = false;
      this.afterRun(key, state);
    }
  }

  /** Where the pushed refs point now, so that pushes naming those commits can be dropped. */
  private async learn(state: RepoState, repoUrls: readonly string[], hints: readonly RefreshHint[]): Promise<void> {
    const found = this.options.found;
    if (found === undefined) return;
    const refs = [...new Set([...hints, ...(state.pending?.hints ?? [])].map((h) => h.ref))];
    try {
      state.found = refs.length === 0 ? new Map() : await found(repoUrls, refs);
      state.foundAt = this.now();
    } catch (err) {
      state.found = new Map();
      this.options.onError?.(err);
    }
  }

  private afterRun(key: string, state: RepoState): void {
    const pending = state.pending;
    if (pending !== undefined && !pending.blind && pending.hints.every((hint) => this.isKnown(state, hint))) state.pending = undefined;
    if (state.pending !== undefined) this.scheduleTrailing(key, state);
    else this.scheduleForget(key, state);
  }

  private scheduleTrailing(key: string, state: RepoState): void {
    this.setTimer(state, Math.max(0, state.quietUntil - this.now()), () => {
      const pending = state.pending;
      if (pending === undefined || state.running) return;
      state.pending = undefined;
      const batch = { appKeys: [...pending.appKeys], repoUrls: [...pending.repoUrls], reason: pending.reason };
      this.start(key, state, batch, pending.hints).catch((err: unknown) => this.options.onError?.(err));
    });
  }

  /** Bounded memory: a repository no push named for a while is forgotten. */
  private scheduleForget(key: string, state: RepoState): void {
    this.setTimer(state, Math.max(this.knownForMs, state.quietUntil - this.now()), () => {
      if (!state.running && state.pending === undefined) this.repos.delete(key);
    });
  }

  private setTimer(state: RepoState, delayMs: number, fn: () => void): void {
    this.clearTimer(state);
    state.timer = setTimeout(() => {
      state.timer = undefined;
      fn();
    }, delayMs);
    state.timer.unref();
  }

  private clearTimer(state: RepoState): void {
    if (state.timer !== undefined) clearTimeout(state.timer);
    state.timer = undefined;
  }
}
