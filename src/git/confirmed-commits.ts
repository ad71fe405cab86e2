/**
 * Commits known to be in a clone (found there by `git cat-file`), so that confirming them
 * again costs nothing. A commit never leaves a clone while the clone exists; the clone's
 * entries go when it is discarded or removed. Bounded: the oldest entries go first.
 */
export class ConfirmedCommits {
  /** `<clone name>/<sha>`, oldest first. */
  private readonly entries = new Set<string>();

  constructor(private readonly maxEntries = 10_000) {}

  has(clone: string, sha: string): boolean {
    const key = `${clone}/${sha}`;
    if (!this.entries.has(key)) return false;
    this.entries.delete(key);
    this.entries.add(key);
    return true;
  }

  add(clone: string, sha: string): void {
    const key = `${clone}/${sha}`;
    this.entries.delete(key);
    this.entries.add(key);
    for (const oldest of this.entries) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  forgetClone(clone: string): void {
    const prefix = `${clone}/`;
    for (const key of this.entries) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}
