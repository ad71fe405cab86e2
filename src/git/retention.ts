/**
 * Removes what the repository cache holds for repositories no caller needs any more: their
 * clones (each under its lock, and only if still unwanted by then), ref tables and trees.
 * Calls that overlap are coalesced: the latest set wins.
 */
import type { RepoAccess } from './access.js';
import type { BareClones } from './bare-clones.js';
import type { ConfirmedCommits } from './confirmed-commits.js';
import type { KeyedMutex } from './keyed-mutex.js';
import type { RefTables } from './ref-tables.js';
import type { TreeStore } from './tree-store.js';
import type { GitLogger } from './types.js';

export interface RetentionParts {
  readonly clones: BareClones;
  /** The per-clone locks (keyed by clone name). */
  readonly locks: KeyedMutex;
  readonly confirmed: ConfirmedCommits;
  readonly refTables: RefTables;
  readonly trees: TreeStore;
  /** Makes sure the cache directories are there and loaded. */
  readonly prepare: () => Promise<void>;
  readonly logger?: GitLogger | undefined;
}

interface Wanted {
  readonly clones: ReadonlySet<string>;
  readonly repoIds: ReadonlySet<string>;
  readonly cloneKeys: ReadonlySet<string>;
}

export class Retention {
  private wanted: Wanted | undefined;
  private running: Promise<void> | undefined;
  /** Bumped by every retain(): the loop runs until it has handled the latest. */
  private generation = 0;

  constructor(private readonly parts: RetentionParts) {}

  /** Keeps what these accesses need and removes the rest. Never rejects. */
  retain(accesses: readonly RepoAccess[]): Promise<void> {
    this.wanted = {
      clones: new Set(accesses.map((a) => this.parts.clones.nameOf(a))),
      repoIds: new Set(accesses.map((a) => a.repoId)),
      cloneKeys: new Set(accesses.map((a) => a.cloneKey)),
    };
    this.generation += 1;
    if (this.running !== undefined) return this.running;
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async loop(): Promise<void> {
    let handled = -1;
    while (handled !== this.generation) {
      handled = this.generation;
      try {
        await this.once();
      } catch (err) {
        this.parts.logger?.warn({ err }, 'could not remove unused repository clones');
      }
    }
  }

  private async once(): Promise<void> {
    const { clones, locks, confirmed, refTables, trees } = this.parts;
    await this.parts.prepare();
    const wanted = this.wanted;
    if (wanted === undefined) return;
    refTables.retain(wanted.cloneKeys);
    for (const name of await clones.names()) {
      if (wanted.clones.has(name)) continue;
      await locks.run(name, async () => {
        // Asked for again meanwhile: keep it.
        if (this.wanted?.clones.has(name) === true) return;
        await clones.removeByName(name);
        confirmed.forgetClone(name);
        this.parts.logger?.debug({ clone: name }, 'removed the clone of a repository no Application uses');
      });
    }
    await trees.retain(wanted.repoIds);
  }
}
