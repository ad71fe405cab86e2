/** An in-memory WebhookTarget for tests: a fixed set of applications, and a record of every call. */
import { normalizeRepoUrl } from '../../../git/index.js';
import type { RefreshHint, WebhookTarget } from '../types.js';

export interface RecordedRefresh {
  readonly appKeys: string[];
  readonly repoUrls: string[];
  readonly reason: string;
  readonly hint?: RefreshHint;
}

export class FakeWebhookTarget implements WebhookTarget {
  readonly lookups: string[][] = [];
  readonly refreshes: RecordedRefresh[] = [];

  /** `apps` maps an application key ('ns/name') to its spec.source.repoURL. */
  constructor(private readonly apps: Readonly<Record<string, string>>) {}

  applicationsFor(normalizedUrls: readonly string[]): string[] {
    this.lookups.push([...normalizedUrls]);
    const wanted = new Set(normalizedUrls);
    return Object.entries(this.apps)
      .filter(([, repoURL]) => wanted.has(normalizeRepoUrl(repoURL)))
      .map(([key]) => key);
  }

  refresh(appKeys: readonly string[], repoUrls: readonly string[], reason: string, hint?: RefreshHint): void {
    this.refreshes.push({ appKeys: [...appKeys], repoUrls: [...repoUrls], reason, ...(hint === undefined ? {} : { hint }) });
  }
}
