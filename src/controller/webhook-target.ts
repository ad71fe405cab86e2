/**
 * What a webhook receiver asks of the controller (the receiver lives in server/, which may
 * import controller/, not the other way round; this shape matches its WebhookTarget port),
 * and the leader's implementation: refreshes coalesced per repository.
 */
import type { Logger } from 'pino';
import { type Application, appSources } from '../api/application.js';
import { appKeyOf, formatAppKey, parseAppKey, type AppKey } from '../api/tracking.js';
import type { RepoCachePort } from '../git/types.js';
import { normalizeRepoUrl } from '../git/url.js';
import type { RefreshReasons } from './app-memory.js';
import { RefreshCoalescer, type CoalesceOutcome, type FoundRefs, type RefreshBatch } from './refresh-coalescer.js';
import { orderForRefresh } from './refresh-order.js';

/** What a verified push says it brought: the ref and the full commit SHA it now points at. */
export interface RefreshHint {
  readonly ref: string;
  readonly revision: string;
}

export interface WebhookTarget {
  /** Keys ('ns/name') of the Applications whose repoURL is one of these (normalizeRepoUrl form). */
  applicationsFor(normalizedUrls: readonly string[]): string[];
  /**
   * Forget cached revisions of these repositories and reconcile the apps soon, recording why.
   * `repoUrls` are URLs as the payload gave them (credentials removed), one per repository: the
   * repo cache normalises them itself. Pushes of one repository are coalesced; `hint` lets a push
   * that names a commit already found cost nothing.
   */
  refresh(appKeys: readonly string[], repoUrls: readonly string[], reason: string, hint?: RefreshHint): void;
}

/** The key under which pushes are coalesced: the repositories they name. */
export function repositoryKey(repoUrls: readonly string[]): string {
  return [...new Set(repoUrls.map(normalizeRepoUrl))].sort().join('\n');
}

export interface LeaderWebhookTargetOptions {
  /** The Applications the controller watches. */
  readonly apps: () => readonly Application[];
  readonly app: (key: AppKey) => Application | undefined;
  readonly repos: RepoCachePort;
  readonly refreshReasons: RefreshReasons;
  readonly enqueue: (key: string) => void;
  readonly logger: Logger;
  /** See RefreshCoalescerOptions.windowMs. */
  readonly windowMs?: number;
  readonly onOutcome?: (outcome: CoalesceOutcome) => void;
}

/** The in-process target of the leader: finds apps in the watch cache, refreshes them coalesced. */
export function leaderWebhookTarget(options: LeaderWebhookTargetOptions): WebhookTarget {
  const coalescer = new RefreshCoalescer({
    run: (batch) => refreshRepository(options, batch),
    found: (repoUrls, refs) => foundRefs(options.repos, repoUrls, refs),
    ...(options.windowMs === undefined ? {} : { windowMs: options.windowMs }),
    ...(options.onOutcome === undefined ? {} : { onOutcome: options.onOutcome }),
    onError: (err) => {
      options.logger.warn({ err }, 'webhook refresh failed');
    },
  });
  return {
    applicationsFor: (normalizedUrls) => {
      const wanted = new Set(normalizedUrls);
      return options.apps()
        .filter((a) => appSources(a.spec).some((s) => wanted.has(normalizeRepoUrl(s.repoURL))))
        .map((a) => formatAppKey(appKeyOf(a)));
    },
    refresh: (appKeys, repoUrls, reason, hint) => {
      coalescer.push(repositoryKey(repoUrls), { appKeys, repoUrls, reason }, hint).catch((err: unknown) => {
        options.logger.warn({ err }, 'webhook refresh failed');
      });
    },
  };
}

/** One refresh: forget the ref tables, note why, queue the apps (those the push changed first). */
async function refreshRepository(options: LeaderWebhookTargetOptions, batch: RefreshBatch): Promise<void> {
  for (const url of batch.repoUrls) options.repos.invalidate(url);
  const apps = batch.appKeys.flatMap((text) => {
    const key = parseAppKey(text);
    const app = key === undefined ? undefined : options.app(key);
    if (key === undefined || app === undefined) return [];
    options.refreshReasons.note(key, batch.reason);
    return [{ key: text, app }];
  });
  try {
    const order = await orderForRefresh(options.repos, apps);
    for (const key of [...order.first, ...order.rest]) options.enqueue(key);
  } catch (err) {
    // Any order will do: all at once.
    options.logger.warn({ err }, 'could not order a webhook refresh');
    for (const { key } of apps) options.enqueue(key);
  }
}

/** Where `refs` point in the ref table the refresh just fetched (no new ls-remote). */
async function foundRefs(repos: RepoCachePort, repoUrls: readonly string[], refs: readonly string[]): Promise<FoundRefs> {
  const found = new Map<string, string>();
  const [repoURL] = repoUrls;
  if (repoURL === undefined) return found;
  for (const ref of refs) {
    const resolved = await repos.resolve(repoURL, ref, { maxAgeMs: Infinity });
    if (resolved.ok && resolved.ref === ref) found.set(ref, resolved.sha);
  }
  return found;
}
