import { type Application, appSources } from '../api/application.js';
import type { RepoCachePort } from '../git/types.js';

/**
 * Removes what the repository cache holds for repositories no Application uses any more
 * (clones, ref tables, trees), whenever the set of the apps' repository URLs changes. It acts
 * only once the Applications have been listed: while the first list arrives, the set is
 * still incomplete.
 */
export class RepoRetention {
  private listed = false;
  private last: string | undefined;

  constructor(
    private readonly repos: RepoCachePort,
    private readonly apps: () => readonly Application[],
  ) {}

  /** The Applications are all known from now on. */
  start(): void {
    this.listed = true;
    this.update();
  }

  update(): void {
    if (!this.listed || this.repos.retain === undefined) return;
    // Chart repositories are no Git repositories: nothing of theirs is kept in the Git cache.
    const urls = [...new Set(this.apps().flatMap((a) => appSources(a.spec)).filter((s) => s.chart === undefined).map((s) => s.repoURL))].sort();
    const signature = JSON.stringify(urls);
    if (signature === this.last) return;
    this.last = signature;
    void this.repos.retain(urls);
  }
}
