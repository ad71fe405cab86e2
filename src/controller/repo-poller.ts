import type { Logger } from 'pino';
import { appSources, syncedRevisionOf, type Application } from '../api/application.js';
import type { RepoCachePort } from '../git/types.js';
import { isFullSha } from '../git/types.js';
import { normalizeRepoUrl } from '../git/url.js';
import { intervalOf } from './interval.js';

interface PolledRepo {
  intervalMs: number;
  timer: NodeJS.Timeout;
}

export interface RepoPollerOptions {
  readonly repos: RepoCachePort;
  readonly apps: () => readonly Application[];
  readonly enqueue: (key: string) => void;
  readonly defaultIntervalMs: number;
  /** The floor on every interval (--min-interval). */
  readonly minIntervalMs?: number;
  readonly logger: Logger;
}

const appKeyOf = (app: Application): string => `${app.metadata.namespace ?? ''}/${app.metadata.name ?? ''}`;

/**
 * Polls each repository once per interval (the shortest interval of its apps, plus up to 10 %
 * jitter), however many apps use it: one ls-remote, then every app whose revision moved is
 * enqueued. Reconciles reuse that answer, so an unchanged repository costs no fetch and no render.
 */
export class RepoPoller {
  private readonly polled = new Map<string, PolledRepo>();
  private stopped = false;

  constructor(private readonly options: RepoPollerOptions) {}

  /** Starts, stops or re-times the poll of each repository after Applications changed. */
  update(): void {
    if (this.stopped) return;
    const wanted = new Map<string, number>();
    for (const app of this.options.apps()) {
      for (const source of appSources(app.spec)) {
        if (isFullSha(source.targetRevision ?? '')) continue; // a pinned commit never moves
        if (source.chart !== undefined) continue; // a chart repository is read at each reconcile, not polled with git
        const key = normalizeRepoUrl(source.repoURL);
        const interval = intervalOf(app, this.options.defaultIntervalMs, this.options.minIntervalMs);
        wanted.set(key, Math.min(wanted.get(key) ?? Infinity, interval));
      }
    }
    for (const [key, repo] of this.polled) {
      if (!wanted.has(key)) {
        clearTimeout(repo.timer);
        this.polled.delete(key);
      }
    }
    for (const [key, intervalMs] of wanted) {
      const current = this.polled.get(key);
      if (current?.intervalMs === intervalMs) continue;
      if (current !== undefined) clearTimeout(current.timer);
      this.polled.set(key, { intervalMs, timer: this.schedule(key, intervalMs) });
    }
  }

  stop(): void {
    this.stopped = true;
    for (const repo of this.polled.values()) clearTimeout(repo.timer);
    this.polled.clear();
  }

  get repositories(): number {
    return this.polled.size;
  }

  private schedule(key: string, intervalMs: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      void this.poll(key);
    }, Math.round(intervalMs * (1 + Math.random() * 0.1)));
    timer.unref();
    return timer;
  }

  private async poll(key: string): Promise<void> {
    // Each app, with every one of its Git sources from this repository (by index).
    const users = this.options.apps().flatMap((app) => appSources(app.spec)
      .map((source, index) => ({ app, source, index }))
      .filter(({ source }) => source.chart === undefined && normalizeRepoUrl(source.repoURL) === key));
    try {
      let first = true;
      for (const { app, source, index } of users) {
        if (isFullSha(source.targetRevision ?? '')) continue;
        // The first resolve asks the remote; the others read the ref table it brought back.
        const resolved = await this.options.repos.resolve(source.repoURL, source.targetRevision, first ? { force: true } : { maxAgeMs: Infinity });
        first = false;
        if (!resolved.ok || resolved.sha !== syncedRevisionOf(app, index)) this.options.enqueue(appKeyOf(app));
      }
    } catch (err) {
      this.options.logger.warn({ err, repo: key }, 'polling the repository failed');
    } finally {
      const repo = this.polled.get(key);
      if (repo !== undefined && !this.stopped) repo.timer = this.schedule(key, repo.intervalMs);
    }
  }
}
