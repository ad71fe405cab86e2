import type { KubeObject, ResourceKey } from '../api/object.js';
import { hookSpecOf } from './hooks.js';
import { resourceSyncOptions, syncWave } from './options.js';
import { comparePhaseWave, comparePruneOrder, compareSyncOrder, type SyncPhase } from './order.js';

/**
 * How an object is written: server-side apply (the default), replaced whole (Replace=true), or
 * deleted and created again (Force=true when a field that cannot change differs).
 */
export type ApplyMode = 'apply' | 'replace' | 'recreate';

/** An object rendered from Git; `inSync` says the diff found nothing to apply. */
export interface DesiredItem {
  key: ResourceKey;
  object: KubeObject;
  inSync: boolean;
  /** Default 'apply'. */
  mode?: ApplyMode;
}

/** A live object tracked by this app that Git no longer declares. */
export interface PrunableItem {
  key: ResourceKey;
  object: KubeObject;
}

export interface PlanOptions {
  prune: boolean;
  allowEmpty: boolean;
  pruneLast: boolean;
  /** Default true: objects the diff found in sync are skipped. */
  applyOutOfSyncOnly?: boolean;
}

/** `hook`: a hook is created for this sync (deleted first when an earlier one is in the way), never merged into. */
export type StepAction = 'apply' | 'prune' | 'hook';

export interface PlanStep {
  key: ResourceKey;
  action: StepAction;
  object: KubeObject;
  phase: SyncPhase;
  wave: number;
  /** For applies: how the object is written. */
  mode: ApplyMode;
  /** For prunes: Prune=confirm, held until someone approves. */
  confirm?: boolean;
}

export type SkipReason = 'InSync' | 'PruneDisabled' | 'PruneFalseAnnotation' | 'HookSkip' | 'HookNotRun';

export interface SkippedStep {
  key: ResourceKey;
  action: StepAction;
  reason: SkipReason;
}

export interface PlanWave {
  phase: SyncPhase;
  wave: number;
  steps: PlanStep[];
}

export type SyncPlan =
  | { ok: true; waves: PlanWave[]; skipped: SkippedStep[]; /** SyncFail hooks, run only after a failure. */ syncFail: PlanWave[] }
  | { ok: false; reason: 'EmptyPlanRefused'; message: string };

/**
 * Plans a sync (DESIGN.md §6.2): pure, synchronous, never mutates its inputs.
 *
 * - Desired objects become apply steps; those found in sync are skipped (unless applyOutOfSyncOnly is false).
 * - Hooks (see hooks.ts): a hook runs in each phase it names, on every sync, since a hook is an action rather than
 *   state; its wave is its sync-wave (or helm.sh/hook-weight). `Skip` objects and hooks that name no phase a sync
 *   runs are skipped. SyncFail hooks form their own waves, run only after a failure.
 * - Prunes run in the Sync phase, in the wave of their own annotation, after that wave's applies, in reverse kind
 *   order. With pruneLast (the option, or the resource's PruneLast=true) they form a final wave after every other
 *   Sync wave.
 * - Unless allowEmpty, a plan that would prune while Git declares nothing is refused: a broken render must not
 *   delete everything.
 * - Waves come in phase → wave order; empty waves are not emitted. `skipped` lists desired skips, then prune skips,
 *   in input order.
 */
export function planSync(desired: readonly DesiredItem[], prunable: readonly PrunableItem[], options: PlanOptions): SyncPlan {
  const skipped: SkippedStep[] = [];
  const { applies, syncFail } = planApplies(desired, options.applyOutOfSyncOnly ?? true, skipped);
  const ordinary = desired.filter((item) => hookSpecOf(item.object) === undefined);
  const { prunes, prunesLast } = planPrunes(prunable, options, skipped);

  const pruneCount = prunes.length + prunesLast.length;
  if (ordinary.length === 0 && pruneCount > 0 && !options.allowEmpty) {
    return {
      ok: false,
      reason: 'EmptyPlanRefused',
      message:
        `refusing to delete all ${pruneCount} ${pruneCount === 1 ? 'resource' : 'resources'}: Git declares none; ` +
        'set syncPolicy.automated.allowEmpty to allow it',
    };
  }

  const lastWave = finalSyncWave([...applies, ...prunes, ...prunesLast]);
  const movedLast = prunesLast.map((step) => ({ ...step, wave: lastWave }));
  return { ok: true, waves: groupIntoWaves(applies, [...prunes, ...movedLast]), skipped, syncFail: groupIntoWaves(syncFail, []) };
}

function planApplies(desired: readonly DesiredItem[], applyOutOfSyncOnly: boolean, skipped: SkippedStep[]): { applies: PlanStep[]; syncFail: PlanStep[] } {
  const applies: PlanStep[] = [];
  const syncFail: PlanStep[] = [];
  for (const item of desired) {
    const hook = hookSpecOf(item.object);
    if (hook === undefined) {
      if (item.inSync && applyOutOfSyncOnly) skipped.push({ key: item.key, action: 'apply', reason: 'InSync' });
      else applies.push({ key: item.key, action: 'apply', object: item.object, phase: 'Sync', wave: syncWave(item.object), mode: item.mode ?? 'apply' });
      continue;
    }
    if (hook.skip || hook.phases.length === 0) {
      skipped.push({ key: item.key, action: 'apply', reason: hook.skip ? 'HookSkip' : 'HookNotRun' });
      continue;
    }
    for (const phase of hook.phases) {
      (phase === 'SyncFail' ? syncFail : applies).push({ key: item.key, action: 'hook', object: item.object, phase, wave: hook.wave, mode: 'apply' });
    }
  }
  return { applies, syncFail };
}

function planPrunes(
  prunable: readonly PrunableItem[],
  options: PlanOptions,
  skipped: SkippedStep[],
): { prunes: PlanStep[]; prunesLast: PlanStep[] } {
  const prunes: PlanStep[] = [];
  const prunesLast: PlanStep[] = [];
  for (const item of prunable) {
    if (!options.prune) {
      skipped.push({ key: item.key, action: 'prune', reason: 'PruneDisabled' });
      continue;
    }
    const resourceOptions = resourceSyncOptions(item.object);
    if (!resourceOptions.prune) {
      skipped.push({ key: item.key, action: 'prune', reason: 'PruneFalseAnnotation' });
      continue;
    }
    const step: PlanStep = {
      key: item.key, action: 'prune', object: item.object, phase: 'Sync', wave: syncWave(item.object), mode: 'apply',
      ...(resourceOptions.pruneConfirm ? { confirm: true } : {}),
    };
    (options.pruneLast || resourceOptions.pruneLast ? prunesLast : prunes).push(step);
  }
  return { prunes, prunesLast };
}

/** One past the highest wave of the Sync phase (counting the prune-last steps' own waves, and at least 1). */
function finalSyncWave(steps: readonly PlanStep[]): number {
  const syncWaves = steps.filter((step) => step.phase === 'Sync').map((step) => step.wave);
  return Math.max(0, ...syncWaves) + 1;
}

function groupIntoWaves(applies: readonly PlanStep[], prunes: readonly PlanStep[]): PlanWave[] {
  const waves = new Map<string, { phase: SyncPhase; wave: number; applies: PlanStep[]; prunes: PlanStep[] }>();
  const waveOf = (step: PlanStep) => {
    const id = `${step.phase}:${String(step.wave)}`;
    let group = waves.get(id);
    if (group === undefined) {
      group = { phase: step.phase, wave: step.wave, applies: [], prunes: [] };
      waves.set(id, group);
    }
    return group;
  };
  for (const step of applies) waveOf(step).applies.push(step);
  for (const step of prunes) waveOf(step).prunes.push(step);
  return [...waves.values()].sort(comparePhaseWave).map((group) => ({
    phase: group.phase,
    wave: group.wave,
    steps: [...group.applies.sort(compareSyncOrder), ...group.prunes.sort(comparePruneOrder)],
  }));
}
