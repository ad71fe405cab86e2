import type { Logger } from 'pino';
import { appAnnotations } from '../api/annotations.js';
import { applicationApiVersion, applicationPlural } from '../api/application.js';
import { isRecord } from '../api/object.js';
import { isNotFound } from '../cluster/errors.js';
import type { KubeHttp } from '../cluster/http.js';
import { normalizeRepoUrl } from '../git/url.js';

export interface StandbyWebhookTargetOptions {
  /** A client without write gate: a standby writes only these annotations. */
  readonly http: KubeHttp;
  /** The watched namespaces (the controller's own first). */
  readonly namespaces: readonly string[];
  readonly logger: Logger;
  /** Bound of each request, so that a Git host gets an answer (default 10 s). */
  readonly requestTimeoutMs?: number;
}

const applicationsPath = (namespace: string): string =>
  `/apis/${applicationApiVersion}/namespaces/${encodeURIComponent(namespace)}/${applicationPlural}`;

/**
 * The webhook target of a standby replica. The webhook Service sends pushes to every replica,
 * and a standby reconciles nothing and caches no Applications: it finds the apps of the pushed
 * repository with one LIST per watched namespace and annotates each with
 * `capstan.dev/refresh: normal`. The leader watches Applications, so it re-resolves their
 * revision at once and removes the annotation, as it does for `kubectl annotate`.
 */
export class StandbyWebhookTarget {
  /** Apps the last LIST found with a hard refresh pending, which a normal one must not replace. */
  private hardPending = new Set<string>();

  constructor(private readonly options: StandbyWebhookTargetOptions) {}

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

  /** `repoUrls` and `reason` stay here: the leader resolves the revision itself and records its own reason. */
  async refresh(appKeys: readonly string[], _repoUrls: readonly string[], reason: string): Promise<void> {
    const body = { metadata: { annotations: { [appAnnotations.refresh]: 'normal' } } };
    await Promise.all(appKeys.filter((key) => !this.hardPending.has(key)).map(async (key) => {
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
