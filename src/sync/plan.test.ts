import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../api/object.js';
import { resourceKeyOf } from '../api/object.js';
import { planSync, type DesiredItem, type PlanOptions, type PrunableItem, type SyncPlan } from './plan.js';

const kinds: Record<string, string> = {
  Namespace: 'v1',
  ConfigMap: 'v1',
  Secret: 'v1',
  Service: 'v1',
  Deployment: 'apps/v1',
  Job: 'batch/v1',
  Widget: 'example.com/v1',
};

function object(ref: string, annotations: Record<string, string> = {}): KubeObject {
  const [kind = '', name = ''] = ref.split('/');
  return {
    apiVersion: kinds[kind] ?? 'v1',
    kind,
    metadata: { name, ...(kind === 'Namespace' ? {} : { namespace: 'app' }), annotations },
  };
}

function desired(ref: string, options: { inSync?: boolean; annotations?: Record<string, string> } = {}): DesiredItem {
  const obj = object(ref, options.annotations);
  return { key: resourceKeyOf(obj), object: obj, inSync: options.inSync ?? false };
}

function prunable(ref: string, annotations: Record<string, string> = {}): PrunableItem {
  const obj = object(ref, annotations);
  return { key: resourceKeyOf(obj), object: obj };
}

const wave = (n: number) => ({ 'capstan.dev/sync-wave': String(n) });
const hook = (types: string) => ({ 'capstan.dev/hook': types });
const syncOptions = (options: string) => ({ 'capstan.dev/sync-options': options });

const defaults: PlanOptions = { prune: true, allowEmpty: false, pruneLast: false };

/** The plan as `phase/wave: action Kind/name, ...` lines, so a test reads like the order it asserts. */
function outline(plan: SyncPlan): string[] {
  if (!plan.ok) throw new Error(`plan refused: ${plan.message}`);
  return plan.waves.map(
    (w) => `${w.phase}/${String(w.wave)}: ${w.steps.map((s) => `${s.action} ${s.key.kind}/${s.key.name}`).join(', ')}`,
  );
}

function skipped(plan: SyncPlan): string[] {
  if (!plan.ok) throw new Error(`plan refused: ${plan.message}`);
  return plan.skipped.map((s) => `${s.action} ${s.key.kind}/${s.key.name}: ${s.reason}`);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

describe('planSync', () => {
  it('applies what is out of sync and skips what is in sync', () => {
    const plan = planSync([desired('ConfigMap/a', { inSync: true }), desired('Deployment/web'), desired('ConfigMap/b')], [], defaults);
    expect(outline(plan)).toEqual(['Sync/0: apply ConfigMap/b, apply Deployment/web']);
    expect(skipped(plan)).toEqual(['apply ConfigMap/a: InSync']);
  });

  it('applies everything when applyOutOfSyncOnly is false', () => {
    const plan = planSync([desired('ConfigMap/a', { inSync: true }), desired('ConfigMap/b')], [], { ...defaults, applyOutOfSyncOnly: false });
    expect(outline(plan)).toEqual(['Sync/0: apply ConfigMap/a, apply ConfigMap/b']);
    expect(skipped(plan)).toEqual([]);
  });

  it('returns no waves when everything is in sync', () => {
    const plan = planSync([desired('ConfigMap/a', { inSync: true })], [], defaults);
    expect(plan).toEqual({ ok: true, waves: [], syncFail: [], skipped: [{ key: resourceKeyOf(object('ConfigMap/a')), action: 'apply', reason: 'InSync' }] });
  });

  it('orders applies by wave, then kind, then name', () => {
    const plan = planSync(
      [
        desired('Deployment/web', { annotations: wave(1) }),
        desired('Widget/w'),
        desired('Service/web'),
        desired('ConfigMap/z'),
        desired('ConfigMap/a'),
        desired('Namespace/app', { annotations: wave(-1) }),
        desired('Secret/creds', { annotations: wave(1) }),
      ],
      [],
      defaults,
    );
    expect(outline(plan)).toEqual([
      'Sync/-1: apply Namespace/app',
      'Sync/0: apply ConfigMap/a, apply ConfigMap/z, apply Service/web, apply Widget/w',
      'Sync/1: apply Secret/creds, apply Deployment/web',
    ]);
  });

  it('carries the object, phase and wave on each step', () => {
    const item = desired('Deployment/web', { annotations: wave(3) });
    const plan = planSync([item], [], defaults);
    expect(plan).toEqual({
      ok: true,
      skipped: [],
      syncFail: [],
      waves: [{ phase: 'Sync', wave: 3, steps: [{ key: item.key, action: 'apply', object: item.object, phase: 'Sync', wave: 3, mode: 'apply' }] }],
    });
  });

  it('carries how each object is written: replaced, re-created, or applied by default', () => {
    const replaced = { ...desired('ConfigMap/settings'), mode: 'replace' as const };
    const recreated = { ...desired('Job/migrate'), mode: 'recreate' as const };
    const plan = planSync([replaced, recreated, desired('Deployment/web')], [prunable('Service/old')], defaults);
    if (!plan.ok) throw new Error(plan.message);
    expect(plan.waves[0]?.steps.map((s) => `${s.action} ${s.key.kind}: ${s.mode}`)).toEqual([
      'apply ConfigMap: replace', 'apply Deployment: apply', 'apply Job: recreate', 'prune Service: apply',
    ]);
  });

  describe('hooks', () => {
    it('puts PreSync and PostSync hooks into their phases and Sync hooks into the Sync phase', () => {
      const plan = planSync(
        [
          desired('Job/smoke-test', { annotations: hook('PostSync') }),
          desired('Deployment/web'),
          desired('Job/migrate', { annotations: { ...hook('PreSync'), ...wave(2) } }),
          desired('Job/seed', { annotations: hook('Sync') }),
          desired('ConfigMap/schema', { annotations: hook('PreSync') }),
        ],
        [],
        defaults,
      );
      expect(outline(plan)).toEqual([
        'PreSync/0: hook ConfigMap/schema',
        'PreSync/2: hook Job/migrate',
        'Sync/0: apply Deployment/web, hook Job/seed',
        'PostSync/0: hook Job/smoke-test',
      ]);
    });

    it('runs a hook in every phase it names', () => {
      const plan = planSync([desired('Job/check', { annotations: hook('PreSync,PostSync') })], [], defaults);
      expect(outline(plan)).toEqual(['PreSync/0: hook Job/check', 'PostSync/0: hook Job/check']);
    });

    it('runs hooks even when the diff found them in sync', () => {
      const plan = planSync([desired('Job/migrate', { inSync: true, annotations: hook('PreSync') })], [], defaults);
      expect(outline(plan)).toEqual(['PreSync/0: hook Job/migrate']);
    });

    it('skips Skip hooks, even in combination with a phase', () => {
      const plan = planSync(
        [desired('ConfigMap/manual', { annotations: hook('Skip') }), desired('Job/never', { annotations: hook('PreSync,Skip') }), desired('ConfigMap/a')],
        [],
        defaults,
      );
      expect(outline(plan)).toEqual(['Sync/0: apply ConfigMap/a']);
      expect(skipped(plan)).toEqual(['apply ConfigMap/manual: HookSkip', 'apply Job/never: HookSkip']);
    });

    it('plans SyncFail hooks apart, to run only after a failure', () => {
      const plan = planSync([desired('Job/notify', { annotations: { ...hook('SyncFail'), ...wave(1) } }), desired('ConfigMap/a')], [], defaults);
      expect(outline(plan)).toEqual(['Sync/0: apply ConfigMap/a']);
      expect(plan.ok && plan.syncFail.map((w) => `${w.phase}/${w.wave}: ${w.steps.map((s) => `${s.action} ${s.key.kind}/${s.key.name}`).join(', ')}`)).toEqual(['SyncFail/1: hook Job/notify']);
      expect(skipped(plan)).toEqual([]);
    });

    it('maps Helm hooks as Argo CD does: hook-weight is the wave, tests are not run, crd-install is an ordinary object', () => {
      const plan = planSync([
        desired('Job/migrate', { annotations: { 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-weight': '-1' } }),
        desired('Job/smoke', { annotations: { 'helm.sh/hook': 'post-upgrade' } }),
        desired('Pod/test', { annotations: { 'helm.sh/hook': 'test' } }),
        desired('ConfigMap/crd', { annotations: { 'helm.sh/hook': 'crd-install' } }),
      ], [], defaults);
      expect(outline(plan)).toEqual(['PreSync/-1: hook Job/migrate', 'Sync/0: apply ConfigMap/crd', 'PostSync/0: hook Job/smoke']);
      expect(skipped(plan)).toEqual(['apply Pod/test: HookNotRun']);
    });

    it('does not count hooks as what Git declares: an app of hooks alone may not prune everything', () => {
      const plan = planSync([desired('Job/migrate', { annotations: hook('PreSync') })], [prunable('ConfigMap/old')], defaults);
      expect(plan.ok).toBe(false);
    });
  });

  describe('prune', () => {
    it('prunes after the applies of the same wave, in reverse kind order', () => {
      const plan = planSync(
        [desired('ConfigMap/new'), desired('Deployment/api')],
        [prunable('ConfigMap/old'), prunable('Namespace/legacy'), prunable('Deployment/old'), prunable('Service/old'), prunable('Widget/old')],
        defaults,
      );
      expect(outline(plan)).toEqual([
        'Sync/0: apply ConfigMap/new, apply Deployment/api, prune Widget/old, prune Deployment/old, prune Service/old, prune ConfigMap/old, prune Namespace/legacy',
      ]);
    });

    it('prunes in the wave of the object’s own annotation', () => {
      const plan = planSync(
        [desired('ConfigMap/a'), desired('Deployment/web', { annotations: wave(2) })],
        [prunable('ConfigMap/early', wave(-1)), prunable('Deployment/old', wave(2)), prunable('Secret/mid', wave(1))],
        defaults,
      );
      expect(outline(plan)).toEqual([
        'Sync/-1: prune ConfigMap/early',
        'Sync/0: apply ConfigMap/a',
        'Sync/1: prune Secret/mid',
        'Sync/2: apply Deployment/web, prune Deployment/old',
      ]);
    });

    it('with the pruneLast option, prunes in a final Sync wave before PostSync', () => {
      const plan = planSync(
        [desired('ConfigMap/a'), desired('Deployment/web', { annotations: wave(3) }), desired('Job/smoke', { annotations: hook('PostSync') })],
        [prunable('ConfigMap/old'), prunable('Deployment/old', wave(1))],
        { ...defaults, pruneLast: true },
      );
      expect(outline(plan)).toEqual([
        'Sync/0: apply ConfigMap/a',
        'Sync/3: apply Deployment/web',
        'Sync/4: prune Deployment/old, prune ConfigMap/old',
        'PostSync/0: hook Job/smoke',
      ]);
    });

    it('with PruneLast=true on a resource, moves only that prune to the final wave', () => {
      const plan = planSync(
        [desired('ConfigMap/a')],
        [prunable('ConfigMap/old'), prunable('Namespace/legacy', syncOptions('PruneLast=true'))],
        defaults,
      );
      expect(outline(plan)).toEqual(['Sync/0: apply ConfigMap/a, prune ConfigMap/old', 'Sync/1: prune Namespace/legacy']);
    });

    it('puts the final wave after a prune-last object’s own higher wave', () => {
      const plan = planSync([desired('ConfigMap/a', { annotations: wave(-2) })], [prunable('Secret/old', { ...wave(7), ...syncOptions('PruneLast=true') })], defaults);
      expect(outline(plan)).toEqual(['Sync/-2: apply ConfigMap/a', 'Sync/8: prune Secret/old']);
    });

    it('skips prunes when pruning is disabled', () => {
      const plan = planSync([desired('ConfigMap/a')], [prunable('ConfigMap/old'), prunable('Deployment/old', syncOptions('Prune=false'))], { ...defaults, prune: false });
      expect(outline(plan)).toEqual(['Sync/0: apply ConfigMap/a']);
      expect(skipped(plan)).toEqual(['prune ConfigMap/old: PruneDisabled', 'prune Deployment/old: PruneDisabled']);
    });

    it('skips prunes of resources annotated Prune=false, in either spelling', () => {
      const plan = planSync(
        [desired('ConfigMap/a', { inSync: true })],
        [prunable('ConfigMap/keep', syncOptions('Prune=false')), prunable('Secret/keep', { 'argocd.argoproj.io/sync-options': 'Prune=false' }), prunable('ConfigMap/old')],
        defaults,
      );
      expect(outline(plan)).toEqual(['Sync/0: prune ConfigMap/old']);
      expect(skipped(plan)).toEqual(['apply ConfigMap/a: InSync', 'prune ConfigMap/keep: PruneFalseAnnotation', 'prune Secret/keep: PruneFalseAnnotation']);
    });
  });

  describe('allowEmpty', () => {
    const everything = [prunable('ConfigMap/a'), prunable('Deployment/web'), prunable('Service/web')];

    it('refuses to prune everything when Git declares nothing', () => {
      expect(planSync([], everything, defaults)).toEqual({
        ok: false,
        reason: 'EmptyPlanRefused',
        message: 'refusing to delete all 3 resources: Git declares none; set syncPolicy.automated.allowEmpty to allow it',
      });
    });

    it('counts only what would be pruned', () => {
      const plan = planSync([], [prunable('ConfigMap/a'), prunable('Secret/kept', syncOptions('Prune=false'))], defaults);
      expect(plan).toEqual({
        ok: false,
        reason: 'EmptyPlanRefused',
        message: 'refusing to delete all 1 resource: Git declares none; set syncPolicy.automated.allowEmpty to allow it',
      });
    });

    it('allows it with allowEmpty', () => {
      const plan = planSync([], everything, { ...defaults, allowEmpty: true });
      expect(outline(plan)).toEqual(['Sync/0: prune Deployment/web, prune Service/web, prune ConfigMap/a']);
    });

    it('does not refuse when nothing would be pruned', () => {
      expect(planSync([], everything, { ...defaults, prune: false }).ok).toBe(true);
      expect(planSync([], [], defaults)).toEqual({ ok: true, waves: [], skipped: [], syncFail: [] });
    });

    it('does not refuse when Git declares something, even if all of it is in sync', () => {
      const plan = planSync([desired('ConfigMap/keep', { inSync: true })], everything, defaults);
      expect(outline(plan)).toEqual(['Sync/0: prune Deployment/web, prune Service/web, prune ConfigMap/a']);
    });
  });

  it('never mutates its inputs', () => {
    const desiredItems = deepFreeze([
      desired('Deployment/web', { annotations: wave(1) }),
      desired('ConfigMap/a'),
      desired('ConfigMap/b', { inSync: true }),
      desired('Job/migrate', { annotations: hook('PreSync') }),
      desired('Job/skip', { annotations: hook('Skip') }),
    ]);
    const prunableItems = deepFreeze([prunable('Secret/old'), prunable('Namespace/legacy', syncOptions('PruneLast=true')), prunable('ConfigMap/kept', syncOptions('Prune=false'))]);
    const options = deepFreeze({ ...defaults });
    const before = structuredClone({ desiredItems, prunableItems, options });

    const plan = planSync(desiredItems, prunableItems, options);

    expect(outline(plan)).toEqual([
      'PreSync/0: hook Job/migrate',
      'Sync/0: apply ConfigMap/a, prune Secret/old',
      'Sync/1: apply Deployment/web',
      'Sync/2: prune Namespace/legacy',
    ]);
    expect({ desiredItems, prunableItems, options }).toEqual(before);
    expect(desiredItems.map((d) => d.key.name)).toEqual(['web', 'a', 'b', 'migrate', 'skip']);
  });
});
