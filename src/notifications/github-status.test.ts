import { describe, expect, it } from '@jest/globals';
import { characters } from './fields.js';
import { commitOf, commitState, ownerAndRepo, statusDescription } from './github-status.js';
import { app, commit, nextCommit, synced } from './testing/apps.js';

describe('ownerAndRepo', () => {
  it.each([
    ['https://github.com/example/guestbook.git', 'example', 'guestbook'],
    ['https://github.com/example/guestbook', 'example', 'guestbook'],
    ['https://github.com/example/guestbook/', 'example', 'guestbook'],
    ['git@github.com:example/guestbook.git', 'example', 'guestbook'],
    ['ssh://git@github.com/example/guestbook.git', 'example', 'guestbook'],
    ['ssh://git@ghe.example:2222/team/app.git', 'team', 'app'],
  ])('reads %s', (url, owner, repo) => {
    expect(ownerAndRepo(url)).toEqual({ owner, repo });
  });

  it.each(['https://github.com/example', 'https://gitlab.example/group/sub/app.git', 'file:///repo/a/b', 'not a url', ''])('refuses %j', (url) => {
    expect(ownerAndRepo(url)).toBeUndefined();
  });
});

describe('commitOf and commitState', () => {
  it("takes the operation's revision, else the synced one, the first of several", () => {
    expect(commitOf(synced('Succeeded', { revision: nextCommit }))).toBe(nextCommit);
    expect(commitOf(app({ sync: { status: 'Synced', revision: `${commit},${nextCommit}`, revisions: [commit, nextCommit] } }))).toBe(commit);
    expect(commitOf(app({ sync: { status: 'Synced', revision: 'v1.2.3' } }))).toBeUndefined();
  });

  it('maps the operation phase, a Degraded app after a sync being a failure', () => {
    expect(commitState(synced('Succeeded'))).toBe('success');
    expect(commitState(synced('Succeeded', { health: 'Degraded' }))).toBe('failure');
    expect(commitState(synced('Failed'))).toBe('failure');
    expect(commitState(synced('Error'))).toBe('error');
    expect(commitState(synced('Running'))).toBe('pending');
    expect(commitState(app())).toBeUndefined();
    expect(commitState(app({ health: { status: 'Degraded' } }))).toBe('failure');
  });
});

describe('statusDescription', () => {
  it('keeps at most 140 characters, on one line', () => {
    expect(statusDescription('a\n b')).toBe('a b');
    const long = statusDescription('x'.repeat(500));
    expect(characters(long)).toHaveLength(140);
    expect(long.endsWith('…')).toBe(true);
  });
});
