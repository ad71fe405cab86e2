import type { KubeObject, ResourceKey } from '../api/object.js';
import { hookTypes, resourceSyncOptions, syncWave, type HookType } from './options.js';
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

export type StepAction = 'apply' | 'prune';

export interface PlanStep {
  key: ResourceKey;
  action: StepAction;
  object: KubeObject;
  phase: SyncPhase;
  wave: number;
  /** For applies: how the object is written. */
  mode: ApplyMode;
}

export type SkipReason = 'InSync' | 'PruneDisabled' | 'PruneFalseAnnotation' | 'HookSkip';

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
  | { ok: true; waves: PlanWave[]; skipped: SkippedStep[] }
  | { ok: false; reason: 'EmptyPlanRefused'; message: string };

/**
 * Plans a sync (DESIGN.md §6.2): pure, synchronous, never mutates its inputs.
 *
 * - Desired objects become apply steps; those found in sync are skipped (unless applyOutOfSyncOnly is false).
 * - Hooks: a PreSync/Sync/PostSync hook is applied in that phase (once per phase it names) on every sync, in sync or
 *   not, since a hook is an action rather than state. `Skip` is skipped; SyncFail hooks are left out of the plan.
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
  const applies = planApplies(desired, options.applyOutOfSyncOnly ?? true, skipped);
  const { prunes, prunesLast } = planPrunes(prunable, options, skipped);

  const pruneCount = prunes.length + prunesLast.length;
  if (desired.length === 0 && pruneCount > 0 && !options.allowEmpty) {
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
  return { ok: true, waves: groupIntoWaves(applies, [...prunes, ...movedLast]), skipped };
}

function planApplies(desired: readonly DesiredItem[], applyOutOfSyncOnly: boolean, skipped: SkippedStep[]): PlanStep[] {
  const steps: PlanStep[] = [];
  for (const item of desired) {
    const hooks = hookTypes(item.object);
    if (hooks.includes('Skip')) {
      skipped.push({ key: item.key, action: 'apply', reason: 'HookSkip' });
      continue;
    }
    const isHook = hooks.length > 0;
    if (!isHook && item.inSync && applyOutOfSyncOnly) {
      skipped.push({ key: item.key, action: 'apply', reason: 'InSync' });
      continue;
    }
    const wave = syncWave(item.object);
    for (const phase of phasesOf(hooks)) steps.push({ key: item.key, action: 'apply', object: item.object, phase, wave, mode: item.mode ?? 'apply' });
  }
  return steps;
}

/** The phases an object is applied in: Sync for an ordinary object, the named phases for a hook (none for SyncFail). */
function phasesOf(hooks: readonly HookType[]): SyncPhase[] {
  if (hooks.length === 0) return ['Sync'];
  return hooks.filter((hook): hook is SyncPhase => hook === 'PreSync' || hook === 'Sync' || hook === 'PostSync');
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
    const step: PlanStep = { key: item.key, action: 'prune', object: item.object, phase: 'Sync', wave: syncWave(item.object), mode: 'apply' };
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
