/** The refs of a remote as `git ls-remote` lists them, and revision lookup in them (pure). */
import { isFullSha, isShortSha } from './types.js';

/** Full ref name ('HEAD', 'refs/heads/main', 'refs/tags/v1') → commit SHA (annotated tags peeled). */
export type RefTable = ReadonlyMap<string, string>;

/** Parses `<sha>\t<ref>` lines; a `<tag>^{}` line gives the commit an annotated tag points at. */
export function parseLsRemote(stdout: string): RefTable {
  const direct = new Map<string, string>();
  const peeled = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const match = /^([0-9a-f]{40,64})\t(\S+)$/i.exec(line.trim());
    if (match === null) continue;
    const sha = (match[1] ?? '').toLowerCase();
    const ref = match[2] ?? '';
    if (ref.endsWith('^{}')) peeled.set(ref.slice(0, -3), sha);
    else direct.set(ref, sha);
  }
  for (const [ref, sha] of peeled) direct.set(ref, sha);
  return direct;
}

export type RevisionLookup =
  | { kind: 'ref'; ref: string; sha: string }
  | { kind: 'fullSha'; sha: string }
  | { kind: 'shortSha'; prefix: string }
  | { kind: 'notFound' };

/**
 * Finds a revision, in this order: 'HEAD' or '' → HEAD; a branch; a tag; a full ref name
 * ('refs/...'); a full SHA; a short SHA (7–39 hex, resolved later in the local clone).
 */
export function lookupRevision(refs: RefTable, revision: string | undefined): RevisionLookup {
  const rev = (revision ?? '').trim();
  const candidates = rev === '' || rev === 'HEAD' ? ['HEAD'] : [`refs/heads/${rev}`, `refs/tags/${rev}`, ...(rev.startsWith('refs/') ? [rev] : [])];
  for (const ref of candidates) {
    const sha = refs.get(ref);
    if (sha !== undefined) return { kind: 'ref', ref, sha };
  }
  if (isFullSha(rev)) return { kind: 'fullSha', sha: rev.toLowerCase() };
  if (isShortSha(rev)) return { kind: 'shortSha', prefix: rev.toLowerCase() };
  return { kind: 'notFound' };
}
