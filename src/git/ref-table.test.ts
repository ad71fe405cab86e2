import { describe, expect, it } from '@jest/globals';
import { lookupRevision, parseLsRemote } from './ref-table.js';

const a = 'a'.repeat(40);
const b = 'b'.repeat(40);
const c = 'c'.repeat(40);
const d = 'd'.repeat(40);
const lsRemote = [
  `${a}\tHEAD`,
  `${a}\trefs/heads/main`,
  `${b}\trefs/heads/release`,
  `${c}\trefs/tags/v1`,
  `${d}\trefs/tags/v1^{}`,
  `${b}\trefs/tags/light`,
  `${c}\trefs/heads/v1`,
  `${d}\trefs/pull/7/head`,
  '',
].join('\n');

describe('parseLsRemote', () => {
  it('maps each ref to its commit, peeling annotated tags', () => {
    const refs = parseLsRemote(lsRemote);
    expect(refs.get('HEAD')).toBe(a);
    expect(refs.get('refs/heads/release')).toBe(b);
    expect(refs.get('refs/tags/v1')).toBe(d);
    expect(refs.has('refs/tags/v1^{}')).toBe(false);
    expect(refs.size).toBe(7);
  });

  it('ignores lines that are not <sha>\\t<ref>', () => {
    expect(parseLsRemote('warning: redirecting\nnot a line\n').size).toBe(0);
  });
});

describe('lookupRevision', () => {
  const refs = parseLsRemote(lsRemote);

  it('reads "", undefined and HEAD as HEAD', () => {
    for (const rev of ['', ' ', undefined, 'HEAD']) expect(lookupRevision(refs, rev)).toEqual({ kind: 'ref', ref: 'HEAD', sha: a });
  });

  it('prefers a branch over a tag of the same name, and finds tags and full ref names', () => {
    expect(lookupRevision(refs, 'v1')).toEqual({ kind: 'ref', ref: 'refs/heads/v1', sha: c });
    expect(lookupRevision(refs, 'light')).toEqual({ kind: 'ref', ref: 'refs/tags/light', sha: b });
    expect(lookupRevision(refs, 'refs/tags/v1')).toEqual({ kind: 'ref', ref: 'refs/tags/v1', sha: d });
    expect(lookupRevision(refs, 'refs/pull/7/head')).toEqual({ kind: 'ref', ref: 'refs/pull/7/head', sha: d });
  });

  it('passes full SHAs through and leaves short SHAs for the local clone', () => {
    expect(lookupRevision(refs, 'E'.repeat(40))).toEqual({ kind: 'fullSha', sha: 'e'.repeat(40) });
    expect(lookupRevision(refs, 'ABCDEF1')).toEqual({ kind: 'shortSha', prefix: 'abcdef1' });
  });

  it('finds nothing for an unknown name or a too-short hex string', () => {
    expect(lookupRevision(refs, 'nope')).toEqual({ kind: 'notFound' });
    expect(lookupRevision(refs, 'abcdef')).toEqual({ kind: 'notFound' });
    expect(lookupRevision(new Map(), '')).toEqual({ kind: 'notFound' });
  });
});
