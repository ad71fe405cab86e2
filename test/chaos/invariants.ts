/**
 * The invariants of the fault campaign (issue 17), checked after every trial. Pure: the trial's
 * harness gathers what Git declares, what the cluster holds and what was observed meanwhile,
 * and this says which invariant each finding breaks.
 */

/** An object as `kind/namespace/name` (namespace empty for cluster-scoped objects). */
export type ObjectRef = string;

export interface DeclaredApp {
  readonly name: string;
  /** The commit every app must be Synced at. */
  readonly revision: string;
  /** What Git declares for the app at `revision` (hooks aside). */
  readonly objects: ReadonlySet<ObjectRef>;
}

export interface LiveObject {
  readonly ref: ObjectRef;
  readonly uid: string;
  /** The app whose tracking id the object carries, if any. */
  readonly trackedBy?: string;
  /** Whether the object is a hook a sync created (sync-id annotation): hooks come and go. */
  readonly hook: boolean;
  /** Its deletion has begun (deletionTimestamp set): it is on its way out. */
  readonly deleting?: boolean;
}

export interface AppState {
  readonly name: string;
  readonly syncStatus?: string;
  readonly revision?: string;
  /** History entry ids and the revision each records. */
  readonly history: readonly { readonly id: number; readonly revision: string; readonly deployedAt: string }[];
}

/** A sync the observer saw finish with phase Succeeded (not a dry run), by its start time. */
export interface CompletedSync {
  readonly app: string;
  readonly startedAt: string;
  readonly revision: string;
}

/** A hook object the observer saw created. */
export interface HookRun {
  readonly ref: ObjectRef;
  readonly uid: string;
  /** Its `capstan.dev/sync-id` annotation: the sync and the phase it belongs to. */
  readonly syncId: string;
}

/** An object the observer saw deleted, in the trial in which its deletion began (deletionTimestamp set, or gone). */
export interface Deletion {
  readonly ref: ObjectRef;
  readonly uid: string;
  readonly hook: boolean;
}

/** A write one controller process made (its API requests, as a proxy in front of it saw them). */
export interface ControllerWrite {
  readonly controller: string;
  readonly at: number;
  readonly method: string;
  readonly path: string;
}

/** Who held the lease from when: each observed holder with its acquire time (ms). */
export interface LeaseHolding {
  readonly holder: string;
  readonly since: number;
}

/** An operation the observer saw end Failed (nothing in the workload can fail: only a fault can make it). */
export interface FailedSync {
  readonly app: string;
  readonly syncId: string;
  readonly message: string;
}

export interface TrialObservation {
  readonly declared: readonly DeclaredApp[];
  /** Objects of the apps' destinations and the bystanders, as listed after the trial. */
  readonly live: readonly LiveObject[];
  /** Objects no app declares that must survive every trial (made by the harness). */
  readonly bystanders: ReadonlySet<ObjectRef>;
  /**
   * What was declared before the trial's commit. A deletion that began during the trial may come
   * from a sync of either commit, so it is wrong only for an object both declare, or neither.
   */
  readonly declaredBefore: ReadonlyMap<string, ReadonlySet<ObjectRef>>;
  readonly apps: readonly AppState[];
  /** History ids each app had before the trial: only the entries after them are the trial's. */
  readonly historyBefore: ReadonlyMap<string, number>;
  readonly completedSyncs: readonly CompletedSync[];
  readonly failedSyncs: readonly FailedSync[];
  readonly hookRuns: readonly HookRun[];
  readonly deletions: readonly Deletion[];
  readonly writes: readonly ControllerWrite[];
  readonly leases: readonly LeaseHolding[];
  /** The lease holder identity of each controller process. */
  readonly identities: ReadonlyMap<string, string>;
}

export type InvariantName = 'sync-failed' | 'converged' | 'missing' | 'duplicated' | 'orphaned' | 'wrongly-pruned' | 'history' | 'hook-twice' | 'fenced-write';

export interface Violation {
  readonly invariant: InvariantName;
  readonly detail: string;
}

/** `kind/namespace/name` → `kind/name`: two live objects for one manifest share it. */
function kindAndName(ref: ObjectRef): string {
  const parts = ref.split('/');
  return `${parts[0] ?? ''}/${parts[parts.length - 1] ?? ''}`;
}

function convergence(o: TrialObservation): Violation[] {
  const states = new Map(o.apps.map((a) => [a.name, a]));
  return o.declared.flatMap((d): Violation[] => {
    const s = states.get(d.name);
    if (s?.syncStatus === 'Synced' && s.revision === d.revision) return [];
    return [{ invariant: 'converged', detail: `${d.name} is ${s?.syncStatus ?? 'absent'} at ${s?.revision ?? 'no revision'}, not Synced at ${d.revision}` }];
  });
}

function objects(o: TrialObservation): Violation[] {
  const out: Violation[] = [];
  const live = o.live.filter((l) => !l.hook && l.deleting !== true);
  const liveRefs = new Set(live.map((l) => l.ref));
  const deleting = new Set(o.live.filter((l) => l.deleting === true).map((l) => l.ref));
  for (const d of o.declared) {
    for (const ref of d.objects) {
      if (!liveRefs.has(ref)) out.push({ invariant: 'missing', detail: `${d.name}: ${ref} is declared but ${deleting.has(ref) ? 'being deleted' : 'not in the cluster'}` });
    }
    const byManifest = new Map<string, LiveObject[]>();
    for (const l of live.filter((x) => x.trackedBy === d.name)) {
      const key = kindAndName(l.ref);
      byManifest.set(key, [...(byManifest.get(key) ?? []), l]);
      if (!d.objects.has(l.ref)) out.push({ invariant: 'orphaned', detail: `${d.name}: ${l.ref} carries its tracking id but Git does not declare it` });
    }
    for (const [key, found] of byManifest) {
      if (found.length > 1) out.push({ invariant: 'duplicated', detail: `${d.name}: ${found.length} objects for the manifest ${key}: ${found.map((f) => f.ref).join(', ')}` });
    }
  }
  for (const ref of o.bystanders) if (!liveRefs.has(ref) && !deleting.has(ref)) out.push({ invariant: 'wrongly-pruned', detail: `the bystander ${ref}, declared by no app, is gone` });
  return out;
}

function deletions(o: TrialObservation): Violation[] {
  const declaredNow = new Set(o.declared.flatMap((d) => [...d.objects]));
  const declaredBefore = new Set([...o.declaredBefore.values()].flatMap((s) => [...s]));
  return o.deletions.filter((d) => !d.hook).flatMap((d): Violation[] => {
    if (o.bystanders.has(d.ref)) return [{ invariant: 'wrongly-pruned', detail: `the bystander ${d.ref} (uid ${d.uid}) was deleted` }];
    const now = declaredNow.has(d.ref);
    const before = declaredBefore.has(d.ref);
    if (now && before) return [{ invariant: 'wrongly-pruned', detail: `${d.ref} (uid ${d.uid}) was deleted though Git declares it before and after the trial's commit` }];
    if (!now && !before) return [{ invariant: 'wrongly-pruned', detail: `${d.ref} (uid ${d.uid}) was deleted though no app declared it` }];
    return [];
  });
}

function history(o: TrialObservation): Violation[] {
  const out: Violation[] = [];
  for (const app of o.apps) {
    const before = o.historyBefore.get(app.name) ?? 0;
    const entries = app.history.filter((h) => h.id > before);
    const syncs = new Set(o.completedSyncs.filter((c) => c.app === app.name).map((c) => `${c.startedAt} ${c.revision}`));
    if (entries.length !== syncs.size) {
      out.push({ invariant: 'history', detail: `${app.name}: ${syncs.size} syncs completed but ${entries.length} history entries were added (${entries.map((e) => `#${e.id} ${e.revision.slice(0, 7)}`).join(', ') || 'none'})` });
    }
    const ids = app.history.map((h) => h.id);
    if (new Set(ids).size !== ids.length) out.push({ invariant: 'history', detail: `${app.name}: history ids repeat: ${ids.join(', ')}` });
  }
  return out;
}

function hooks(o: TrialObservation): Violation[] {
  const uids = new Map<string, Set<string>>();
  for (const run of o.hookRuns) {
    const key = `${run.ref} ${run.syncId}`;
    uids.set(key, (uids.get(key) ?? new Set()).add(run.uid));
  }
  return [...uids].filter(([, set]) => set.size > 1).map(([key, set]) => ({ invariant: 'hook-twice' as const, detail: `hook ${key} ran ${set.size} times` }));
}

/** The holder at `at`: the last holding that began at or before it. */
function holderAt(leases: readonly LeaseHolding[], at: number): string | undefined {
  let holder: string | undefined;
  for (const l of leases) if (l.since <= at) holder = l.holder;
  return holder;
}

function fencing(o: TrialObservation): Violation[] {
  const leases = [...o.leases].sort((a, b) => a.since - b.since);
  return o.writes.flatMap((w): Violation[] => {
    const identity = o.identities.get(w.controller);
    const holder = holderAt(leases, w.at);
    if (identity !== undefined && holder === identity) return [];
    return [{ invariant: 'fenced-write', detail: `${w.controller} wrote ${w.method} ${w.path} at ${new Date(w.at).toISOString()} while ${holder ?? 'nobody'} held the lease` }];
  });
}

/** A sync the fault made fail: its hooks run again in the retry, and the failure is announced. */
function failures(o: TrialObservation): Violation[] {
  return o.failedSyncs.map((f) => ({ invariant: 'sync-failed' as const, detail: `${f.app}: sync ${f.syncId} failed: ${f.message}` }));
}

/** Every invariant broken by what the trial left and what was seen during it. */
export function checkInvariants(o: TrialObservation): Violation[] {
  return [...failures(o), ...convergence(o), ...objects(o), ...deletions(o), ...history(o), ...hooks(o), ...fencing(o)];
}
