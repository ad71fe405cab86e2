import { resourceAnnotation } from '../api/annotations.js';
import type { KubeObject } from '../api/object.js';

/** The phases of a sync in which hooks run (Argo CD's names). */
export const hookPhases = ['PreSync', 'Sync', 'PostSync', 'SyncFail'] as const;
export type HookPhase = (typeof hookPhases)[number];

export const hookDeletePolicies = ['BeforeHookCreation', 'HookSucceeded', 'HookFailed'] as const;
export type HookDeletePolicy = (typeof hookDeletePolicies)[number];

/** What an object's hook annotations say: the phases it runs in, when it is deleted, its wave. */
export interface HookSpec {
  /** Phases the hook runs in, in the order given, without duplicates. Empty for a hook that never runs in a sync. */
  readonly phases: readonly HookPhase[];
  /** `Skip`: the object is neither applied nor counted. */
  readonly skip: boolean;
  /** `PostDelete` (Helm's post-delete): run once the app is deleted and its objects are gone. */
  readonly postDelete: boolean;
  readonly deletePolicies: ReadonlySet<HookDeletePolicy>;
  /** The wave inside its phase: the sync-wave annotation, else helm.sh/hook-weight, else 0. */
  readonly wave: number;
  /** Why a hook annotation names no phase a sync runs (a Helm test or rollback hook), for the record. */
  readonly notRun?: string;
  /** Hook annotation values Capstan does not know; refused when the object is prepared. */
  readonly unknown: readonly string[];
}

const helmHook = 'helm.sh/hook';
const helmHookWeight = 'helm.sh/hook-weight';
const helmHookDeletePolicy = 'helm.sh/hook-delete-policy';

/**
 * Helm's hook names as Argo CD maps them: installs and upgrades are one thing to a GitOps sync.
 * `crd-install` is an ordinary object; tests, rollbacks and deletes do not run in a sync.
 */
const helmPhases: Readonly<Record<string, HookPhase | 'PostDelete' | 'none' | 'ordinary'>> = {
  'pre-install': 'PreSync',
  'pre-upgrade': 'PreSync',
  'post-install': 'PostSync',
  'post-upgrade': 'PostSync',
  'crd-install': 'ordinary',
  'pre-delete': 'none',
  'post-delete': 'PostDelete',
  'pre-rollback': 'none',
  'post-rollback': 'none',
  test: 'none',
  'test-success': 'none',
  'test-failure': 'none',
};

const helmDeletePolicies: Readonly<Record<string, HookDeletePolicy>> = {
  'before-hook-creation': 'BeforeHookCreation',
  'hook-succeeded': 'HookSucceeded',
  'hook-failed': 'HookFailed',
};

function splitList(value: string): string[] {
  return value.split(',').map((part) => part.trim()).filter((part) => part !== '');
}

function integerOf(value: string | undefined): number | undefined {
  const text = value?.trim();
  if (text === undefined || !/^[+-]?[0-9]+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

function isHookPhase(value: string): value is HookPhase {
  return (hookPhases as readonly string[]).includes(value);
}

function isDeletePolicy(value: string): value is HookDeletePolicy {
  return (hookDeletePolicies as readonly string[]).includes(value);
}

/** The delete policies of a hook: its own annotation, else Helm's, else BeforeHookCreation. */
function deletePoliciesOf(annotations: Record<string, string>, unknown: string[]): Set<HookDeletePolicy> {
  const own = resourceAnnotation(annotations, 'hookDeletePolicy');
  const helm = annotations[helmHookDeletePolicy];
  const policies = new Set<HookDeletePolicy>();
  if (own !== undefined) {
    for (const p of splitList(own)) {
      if (isDeletePolicy(p)) policies.add(p);
      else unknown.push(`hook-delete-policy ${p}`);
    }
  } else if (helm !== undefined) {
    for (const p of splitList(helm)) {
      const mapped = helmDeletePolicies[p];
      if (mapped !== undefined) policies.add(mapped);
      else unknown.push(`${helmHookDeletePolicy} ${p}`);
    }
  }
  if (policies.size === 0) policies.add('BeforeHookCreation');
  return policies;
}

/**
 * The hook an object is, or undefined for an ordinary object. Capstan's and Argo CD's hook
 * annotation wins over Helm's (as in Argo CD, Helm's annotations are then not read).
 */
export function hookSpecOf(obj: KubeObject): HookSpec | undefined {
  const annotations = obj.metadata.annotations ?? {};
  const own = resourceAnnotation(annotations, 'hook');
  const helm = annotations[helmHook];
  if (own === undefined && helm === undefined) return undefined;
  const unknown: string[] = [];
  const phases: HookPhase[] = [];
  let skip = false;
  let postDelete = false;
  let notRun: string | undefined;
  if (own !== undefined) {
    for (const value of splitList(own)) {
      if (value === 'Skip') skip = true;
      else if (isHookPhase(value)) phases.push(value);
      else if (value === 'PostDelete') postDelete = true;
      else unknown.push(`hook ${value}`);
    }
  } else if (helm !== undefined) {
    const names = splitList(helm);
    const mapped = names.map((name) => ({ name, phase: helmPhases[name] }));
    for (const m of mapped) if (m.phase === undefined) unknown.push(`${helmHook} ${m.name}`);
    // Only crd-install: an ordinary object (Helm 2's way to ship a CRD).
    if (mapped.length > 0 && mapped.every((m) => m.phase === 'ordinary')) return undefined;
    for (const m of mapped) {
      if (m.phase === 'PostDelete') postDelete = true;
      else if (m.phase !== undefined && m.phase !== 'none' && m.phase !== 'ordinary') phases.push(m.phase);
    }
    if (phases.length === 0 && !postDelete && unknown.length === 0) notRun = `${helmHook} ${names.join(',')} does not run in a sync`;
  }
  const waveText = resourceAnnotation(annotations, 'syncWave') ?? (own === undefined ? annotations[helmHookWeight] : undefined);
  return {
    phases: [...new Set(phases)],
    skip,
    postDelete,
    deletePolicies: deletePoliciesOf(annotations, unknown),
    wave: integerOf(waveText) ?? 0,
    ...(notRun !== undefined ? { notRun } : {}),
    unknown,
  };
}

/** True for an object that is a hook of any kind (including Skip and hooks that never run in a sync). */
export function isHook(obj: KubeObject): boolean {
  return hookSpecOf(obj) !== undefined;
}
