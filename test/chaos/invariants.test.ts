import { describe, expect, it } from '@jest/globals';
import { checkInvariants, type TrialObservation } from './invariants.js';

const cm = (name: string): string => `ConfigMap/dest-a/${name}`;

/** A trial after which everything holds: app a Synced at rev2, one sync completed, one history entry added. */
function healthy(): TrialObservation {
  return {
    declared: [{ name: 'a', revision: 'rev2', objects: new Set([cm('one'), cm('two')]) }],
    live: [
      { ref: cm('one'), uid: 'u1', trackedBy: 'a', hook: false },
      { ref: cm('two'), uid: 'u2', trackedBy: 'a', hook: false },
      { ref: 'Job/dest-a/pre', uid: 'j1', trackedBy: 'a', hook: true },
      { ref: cm('bystander'), uid: 'b1', hook: false },
    ],
    bystanders: new Set([cm('bystander')]),
    declaredBefore: new Map([['a', new Set([cm('one'), cm('old')])]]),
    apps: [{ name: 'a', syncStatus: 'Synced', revision: 'rev2', history: [{ id: 1, revision: 'rev1', deployedAt: 't1' }, { id: 2, revision: 'rev2', deployedAt: 't2' }] }],
    historyBefore: new Map([['a', 1]]),
    completedSyncs: [{ app: 'a', startedAt: 's2', revision: 'rev2' }],
    failedSyncs: [],
    hookRuns: [{ ref: 'Job/dest-a/pre', uid: 'j1', syncId: 'x/PreSync' }],
    deletions: [{ ref: cm('old'), uid: 'u0', hook: false }, { ref: 'Job/dest-a/pre', uid: 'j0', hook: true }],
    writes: [{ controller: 'c1', at: 2000, method: 'PATCH', path: '/api/v1/namespaces/dest-a/configmaps/one' }],
    leases: [{ holder: 'id-0', since: 0 }, { holder: 'id-1', since: 1000 }],
    identities: new Map([['c0', 'id-0'], ['c1', 'id-1']]),
  };
}

/** The app of healthy(): every test changes one field of it. */
const appA = (): TrialObservation['apps'][number] => {
  const [a] = healthy().apps;
  if (a === undefined) throw new Error('healthy() has no app');
  return a;
};

const names = (o: TrialObservation): string[] => checkInvariants(o).map((v) => v.invariant);

describe('checkInvariants', () => {
  it('finds nothing wrong in a trial that kept every invariant (a prune of what Git dropped included)', () => {
    expect(checkInvariants(healthy())).toEqual([]);
  });

  it('an app not Synced at the Git revision has not converged', () => {
    expect(names({ ...healthy(), apps: [{ ...appA(), revision: 'rev1' }] })).toContain('converged');
    expect(names({ ...healthy(), apps: [{ ...appA(), syncStatus: 'OutOfSync' }] })).toContain('converged');
  });

  it('a declared object that is not live is missing', () => {
    expect(names({ ...healthy(), live: healthy().live.filter((l) => l.uid !== 'u2') })).toEqual(['missing']);
  });

  it('two live objects of the app for one manifest are a duplicate; one Git no longer declares is an orphan', () => {
    const live = [...healthy().live, { ref: 'ConfigMap/default/two', uid: 'u9', trackedBy: 'a', hook: false }];
    expect(names({ ...healthy(), live }).sort()).toEqual(['duplicated', 'orphaned']);
  });

  it('a bystander deleted, or an object both commits declare deleted (and re-created), or one none declares, was wrongly pruned', () => {
    expect(names({ ...healthy(), deletions: [{ ref: cm('bystander'), uid: 'b1', hook: false }] })).toEqual(['wrongly-pruned']);
    expect(names({ ...healthy(), live: healthy().live.filter((l) => l.uid !== 'b1') })).toEqual(['wrongly-pruned']);
    expect(names({ ...healthy(), deletions: [{ ref: cm('one'), uid: 'u0', hook: false }] })).toEqual(['wrongly-pruned']);
    expect(names({ ...healthy(), deletions: [{ ref: cm('never'), uid: 'u0', hook: false }] })).toEqual(['wrongly-pruned']);
  });

  it('a deletion of what only one of the two commits declares may be a prune of either sync', () => {
    // "two" is new in this commit: a sync of the previous commit, still running, may prune it.
    expect(names({ ...healthy(), deletions: [{ ref: cm('two'), uid: 'u0', hook: false }] })).toEqual([]);
  });

  it('a declared object being deleted at the end is missing; an undeclared one being deleted is no orphan', () => {
    const live = healthy().live.map((l) => (l.uid === 'u2' ? { ...l, deleting: true } : l));
    expect(checkInvariants({ ...healthy(), live }).map((v) => v.detail)).toEqual([`a: ${cm('two')} is declared but being deleted`]);
    const leaving = [...healthy().live, { ref: cm('old'), uid: 'u0', trackedBy: 'a', hook: false, deleting: true }];
    expect(names({ ...healthy(), live: leaving })).toEqual([]);
  });

  it('a completed sync with no history entry, or with two, breaks the history invariant', () => {
    expect(names({ ...healthy(), completedSyncs: [] })).toEqual(['history']);
    const twice = [...appA().history, { id: 3, revision: 'rev2', deployedAt: 't3' }];
    expect(names({ ...healthy(), apps: [{ ...appA(), history: twice }] })).toEqual(['history']);
  });

  it('a sync that failed (nothing in the workload can fail) is a violation', () => {
    expect(names({ ...healthy(), failedSyncs: [{ app: 'a', syncId: 'x', message: 'PreSync hook Job/pre failed' }] })).toEqual(['sync-failed']);
  });

  it('two objects of one hook for the same sync mean the hook ran twice', () => {
    const hookRuns = [...healthy().hookRuns, { ref: 'Job/dest-a/pre', uid: 'j2', syncId: 'x/PreSync' }];
    expect(names({ ...healthy(), hookRuns })).toEqual(['hook-twice']);
    const nextSync = [...healthy().hookRuns, { ref: 'Job/dest-a/pre', uid: 'j2', syncId: 'y/PreSync' }];
    expect(names({ ...healthy(), hookRuns: nextSync })).toEqual([]);
  });

  it('a write by a controller that did not hold the lease at that moment is a fenced write', () => {
    expect(names({ ...healthy(), writes: [{ controller: 'c0', at: 1500, method: 'PATCH', path: '/x' }] })).toEqual(['fenced-write']);
    expect(names({ ...healthy(), writes: [{ controller: 'c0', at: 500, method: 'PATCH', path: '/x' }] })).toEqual([]);
    expect(names({ ...healthy(), writes: [{ controller: 'c1', at: 500, method: 'PATCH', path: '/x' }] })).toEqual(['fenced-write']);
  });
});
