/**
 * Chart archives under `<dir>/sha256-<hex>.tgz`, named by the sha256 of their bytes: written to
 * a temporary name beside their place, checked, made read-only and renamed, so an archive that
 * exists is always complete and is what its name says. At most `maxArchives` are kept, least
 * recently used removed first, except those handed out within `inUseMs` (a render may still
 * read them).
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Download } from './http.js';
import { isSha256Digest } from './ref.js';
import type { ChartLogger } from './types.js';

export interface ArchiveStoreOptions {
  readonly dir: string;
  readonly maxArchives: number;
  readonly inUseMs: number;
  readonly logger?: ChartLogger | undefined;
}

export type Stored = { ok: true; archive: string; digest: string } | { ok: false; message: string; mismatch?: boolean };

const ARCHIVE_NAME = /^sha256-([0-9a-f]{64})\.tgz$/;

export class ArchiveStore {
  /** digest → path; Map order is the LRU order, oldest first. */
  private readonly archives = new Map<string, string>();
  private readonly usedAt = new Map<string, number>();
  private loaded: Promise<void> | undefined;

  constructor(private readonly options: ArchiveStoreOptions) {}

  /** Adopts the archives a previous run left (oldest first by mtime) and removes half-written files. */
  load(): Promise<void> {
    this.loaded ??= this.adopt();
    return this.loaded;
  }

  /** The archive of `digest` if it is kept; marks it as just used. */
  get(digest: string): string | undefined {
    const path = this.archives.get(digest);
    if (path === undefined) return undefined;
    this.archives.delete(digest);
    this.archives.set(digest, path);
    this.usedAt.set(digest, performance.now());
    return path;
  }

  /**
   * Writes an archive with `write` (into the temporary file it is given) and keeps it under its
   * digest. With `expected`, a download of other bytes is discarded.
   */
  async add(expected: string | undefined, write: (tmp: string) => Promise<Download>): Promise<Stored> {
    await this.load();
    const tmp = join(this.options.dir, `.tmp-${randomBytes(8).toString('hex')}.tgz`);
    try {
      const written = await write(tmp);
      if (!written.ok) return { ok: false, message: written.message };
      if (expected !== undefined && written.digest !== expected) {
        return { ok: false, mismatch: true, message: `the download's digest is ${written.digest}, not ${expected}` };
      }
      const existing = this.get(written.digest);
      if (existing !== undefined) return { ok: true, archive: existing, digest: written.digest };
      const archive = this.pathOf(written.digest);
      await chmod(tmp, 0o444);
      await rename(tmp, archive);
      this.archives.set(written.digest, archive);
      this.usedAt.set(written.digest, performance.now());
      await this.evict(written.digest);
      return { ok: true, archive, digest: written.digest };
    } finally {
      await rm(tmp, { force: true });
    }
  }

  get size(): number {
    return this.archives.size;
  }

  private pathOf(digest: string): string {
    if (!isSha256Digest(digest)) throw new Error(`not a sha256 digest: ${digest}`);
    return join(this.options.dir, `sha256-${digest.slice('sha256:'.length)}.tgz`);
  }

  private async adopt(): Promise<void> {
    const { dir } = this.options;
    await mkdir(dir, { recursive: true });
    const found: { digest: string; path: string; mtimeMs: number }[] = [];
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const m = ARCHIVE_NAME.exec(entry.name);
      if (entry.isFile() && m !== null) found.push({ digest: `sha256:${m[1] ?? ''}`, path, mtimeMs: (await stat(path)).mtimeMs });
      else if (entry.name.startsWith('.tmp-')) await rm(path, { force: true });
    }
    for (const archive of found.sort((a, b) => a.mtimeMs - b.mtimeMs)) this.archives.set(archive.digest, archive.path);
    await this.evict(undefined);
  }

  /** Removes the least recently used archives beyond maxArchives, never `keep` nor one handed out within inUseMs. */
  private async evict(keep: string | undefined): Promise<void> {
    const excess = this.archives.size - this.options.maxArchives;
    if (excess <= 0) return;
    const busySince = performance.now() - this.options.inUseMs;
    const victims = [...this.archives.keys()].filter((d) => d !== keep && (this.usedAt.get(d) ?? -Infinity) < busySince).slice(0, excess);
    for (const digest of victims) {
      const path = this.archives.get(digest);
      this.archives.delete(digest);
      this.usedAt.delete(digest);
      if (path === undefined) continue;
      try {
        // Out of the way at once (rename is atomic), so a reader never sees it half removed.
        const doomed = join(this.options.dir, `.tmp-evict-${randomBytes(8).toString('hex')}`);
        await rename(path, doomed);
        await rm(doomed, { force: true });
        this.options.logger?.debug({ digest }, 'removed chart archive');
      } catch (err) {
        this.options.logger?.warn({ err, digest }, 'could not remove chart archive');
      }
    }
  }
}
