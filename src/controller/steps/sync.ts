import type { Application, OperationResourceResult } from '../../api/application.js';
import { fieldManager } from '../../api/annotations.js';
import { formatResourceKey, resourceKeyOf, type KubeObject, type ResourceKey } from '../../api/object.js';
import { assessHealth } from '../../health/registry.js';
import { executePlan, type ExecutionResult } from '../../sync/executor.js';
import { appSyncOptions, hookTypes, syncWave } from '../../sync/options.js';
import { planSync, type PlanWave, type SkippedStep } from '../../sync/plan.js';
import type { Applier, HealthProbe } from '../../sync/ports.js';
import type { ReconcileDeps } from '../deps.js';
import type { ComparedObject } from './compare.js';
import type { LiveView } from './live.js';

export interface SyncOutcome {
  readonly ok: boolean;
  readonly interrupted: boolean;
  readonly message: string;
  readonly records: OperationResourceResult[];
  readonly applied: Map<string, KubeObject>;
  readonly pruned: Set<string>;
  readonly skipped: SkippedStep[];
}

function applierFor(deps: ReconcileDeps, compared: readonly ComparedObject[]): Applier {
  const existing = new Set(compared.filter((c) => c.live !== undefined).map((c) => formatResourceKey(c.prepared.key)));
  return {
    apply: async (obj) => {
      const stored = await deps.resources.apply(obj, { fieldManager, force: true });
      return { stored, created: !existing.has(formatResourceKey(resourceKeyOf(obj))) };
    },
    delete: (key: ResourceKey, obj: KubeObject) =>
      deps.resources.delete(obj.apiVersion, key.kind, key.namespace, key.name, {
        propagationPolicy: 'Background',
        ...(obj.metadata.uid !== undefined ? { preconditionUid: obj.metadata.uid } : {}),
      }),
  };
}

function healthProbe(deps: ReconcileDeps, compared: readonly ComparedObject[]): HealthProbe {
  const apiVersions = new Map(compared.map((c) => [formatResourceKey(c.prepared.key), c.prepared.object.apiVersion]));
  return async (key) => {
    const obj = await deps.resources.get(apiVersions.get(formatResourceKey(key)) ?? 'v1', key.kind, key.namespace, key.name);
    if (obj === undefined) return 'Missing';
    return assessHealth(obj)?.status ?? 'Healthy';
  };
}

/** Every desired object of the Sync phase in a wave before `wave`, applied now or already in sync. */
function earlierWaveMembers(compared: readonly ComparedObject[]): (wave: PlanWave) => ResourceKey[] {
  const members = compared
    .filter((c) => hookTypes(c.prepared.object).length === 0)
    .map((c) => ({ key: c.prepared.key, wave: syncWave(c.prepared.object) }));
  return (wave) => (wave.phase === 'Sync' ? members.filter((m) => m.wave < wave.wave).map((m) => m.key) : []);
}

/** Creates the destination namespace when the app asks for it (CreateNamespace=true). */
async function ensureNamespace(deps: ReconcileDeps, app: Application): Promise<void> {
  const name = app.spec.destination.namespace;
  if (name === undefined || name === '' || !appSyncOptions(app).createNamespace) return;
  if ((await deps.resources.get('v1', 'Namespace', '', name)) !== undefined) return;
  await deps.resources.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { fieldManager, force: true });
}

/** Plans and runs one sync: apply what differs, prune what Git dropped (when allowed), wave by wave. */
export async function runSync(
  deps: ReconcileDeps, app: Application, compared: readonly ComparedObject[], view: LiveView,
  options: { prune: boolean; signal: AbortSignal },
): Promise<SyncOutcome> {
  const appOptions = appSyncOptions(app);
  const plan = planSync(
    compared.map((c) => ({ key: c.prepared.key, object: c.prepared.object, inSync: c.inSync })),
    view.prunable,
    { prune: options.prune, allowEmpty: app.spec.syncPolicy?.automated?.allowEmpty ?? false, pruneLast: appOptions.pruneLast },
  );
  if (!plan.ok) return { ok: false, interrupted: false, message: plan.message, records: [], applied: new Map(), pruned: new Set(), skipped: [] };
  await ensureNamespace(deps, app);
  const result: ExecutionResult = await executePlan(plan.waves, {
    applier: applierFor(deps, compared),
    health: healthProbe(deps, compared),
    waveTimeoutMs: deps.settings.waveTimeoutMs,
    signal: options.signal,
    prerequisites: earlierWaveMembers(compared),
  });
  const pruned = new Set(
    result.records.filter((r) => r.action === 'pruned' || (r.action === 'unchanged' && r.message === 'already gone'))
      .map((r) => formatResourceKey({ group: r.group, kind: r.kind, namespace: r.namespace, name: r.name })),
  );
  return { ok: result.ok, interrupted: result.interrupted, message: result.message, records: result.records, applied: result.applied, pruned, skipped: plan.skipped };
}
