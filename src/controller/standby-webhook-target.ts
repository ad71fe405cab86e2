import type { Logger } from 'pino';
import { appAnnotations } from '../api/annotations.js';
import { applicationApiVersion, applicationPlural } from '../api/application.js';
import { isRecord } from '../api/object.js';
import { isNotFound } from '../cluster/errors.js';
import type { KubeHttp } from '../cluster/http.js';
import { normalizeRepoUrl } from '../git/url.js';
import { RefreshCoalescer, type CoalesceOutcome, type RefreshBatch } from './refresh-coalescer.js';
import { repositoryKey, type RefreshHint } from './webhook-target.js';

export interface StandbyWebhookTargetOptions {
  /** A client without write gate: a standby writes only these annotations. */
  readonly http: KubeHttp;
  /** The watched namespaces (the controller's own first). */
  readonly namespaces: readonly string[];
  readonly logger: Logger;
  /** Bound of each request, so that a Git host gets an answer (default 10 s). */
  readonly requestTimeoutMs?: number;
  /** See RefreshCoalescerOptions.windowMs. */
  readonly windowMs?: number;
  readonly onOutcome?: (outcome: CoalesceOutcome) => void;
}

const applicationsPath = (namespace: string): string =>
  `/apis/${applicationApiVersion}/namespaces/${encodeURIComponent(namespace)}/${applicationPlural}`;

/**
 * The webhook target of a standby replica. The webhook Service sends pushes to every replica,
 * and a standby reconciles nothing and caches no Applications: it finds the apps of the pushed
 * repository with one LIST per watched namespace and annotates each with
 * `capstan.dev/refresh: normal`. The leader watches Applications, so it re-resolves their
 * revision at once and removes the annotation, as it does for `kubectl annotate`. Pushes of one
 * repository within a short window are coalesced into one more round of annotations at its end.
 */
export class StandbyWebhookTarget {
  /** Apps the last LIST found with a hard refresh pending, which a normal one must not replace. */
  private hardPending = new Set<string>();
  private readonly coalescer: RefreshCoalescer;

  constructor(private readonly options: StandbyWebhookTargetOptions) {
    this.coalescer = new RefreshCoalescer({
      run: (batch) => this.annotate(batch),
      ...(options.windowMs === undefined ? {} : { windowMs: options.windowMs }),
      ...(options.onOutcome === undefined ? {} : { onOutcome: options.onOutcome }),
      onError: (err) => {
        options.logger.warn({ err }, 'standby: could not ask the leader to refresh');
      },
    });
  }

  private get timeoutMs(): number {
    return this.options.requestTimeoutMs ?? 10_000;
  }

  async applicationsFor(normalizedUrls: readonly string[]): Promise<string[]> {
    const wanted = new Set(normalizedUrls);
    const lists = await Promise.all(this.options.namespaces.map((namespace) =>
      this.options.http.json({ method: 'GET', verb: 'list', path: applicationsPath(namespace), timeoutMs: this.timeoutMs })));
    const keys: string[] = [];
    const hardPending = new Set<string>();
    for (const item of lists.flatMap(itemsOf)) {
      const app = readApp(item);
      if (app === undefined || !wanted.has(normalizeRepoUrl(app.repoURL))) continue;
      keys.push(app.key);
      if (app.refresh === 'hard') hardPending.add(app.key);
    }
    this.hardPending = hardPending;
    return keys;
  }

  /**
   * Rejects when the annotations could not be written (a 500 to the Git host); a push merged into
   * a later round resolves at once. `repoUrls` and `reason` stay here: the leader resolves the
   * revision itself and records its own reason.
   */
  refresh(appKeys: readonly string[], repoUrls: readonly string[], reason: string, hint?: RefreshHint): Promise<void> {
    return this.coalescer.push(repositoryKey(repoUrls), { appKeys, repoUrls, reason }, hint);
  }

  private async annotate({ appKeys, reason }: RefreshBatch): Promise<void> {
    const body = { metadata: { annotations: { [appAnnotations.refresh]: 'normal' } } };
    const hardPending = this.hardPending;
    await Promise.all(appKeys.filter((key) => !hardPending.has(key)).map(async (key) => {
      const slash = key.indexOf('/');
      const path = `${applicationsPath(key.slice(0, slash))}/${encodeURIComponent(key.slice(slash + 1))}`;
      try {
        await this.options.http.json({ method: 'PATCH', path, body, contentType: 'application/merge-patch+json', timeoutMs: this.timeoutMs });
      } catch (err) {
        // Deleted since the LIST: nothing to refresh.
        if (!isNotFound(err)) throw err;
      }
    }));
    this.options.logger.info({ apps: appKeys, reason }, 'standby: asked the leader to refresh');
  }
}

function itemsOf(list: unknown): unknown[] {
  return isRecord(list) && Array.isArray(list['items']) ? list['items'] : [];
}

function readApp(item: unknown): { key: string; repoURL: string; refresh: string | undefined } | undefined {
  if (!isRecord(item) || !isRecord(item['metadata']) || !isRecord(item['spec'])) return undefined;
  const { metadata, spec } = item;
  const source = spec['source'];
  const repoURL = isRecord(source) ? source['repoURL'] : undefined;
  const namespace = metadata['namespace'];
  const name = metadata['name'];
  if (typeof repoURL !== 'string' || typeof namespace !== 'string' || typeof name !== 'string') return undefined;
  const annotations = metadata['annotations'];
  const refresh = isRecord(annotations) ? annotations[appAnnotations.refresh] : undefined;
  return { key: `${namespace}/${name}`, repoURL, refresh: typeof refresh === 'string' ? refresh : undefined };
}
