import type { Application } from '../../api/application.js';
import { fieldManager } from '../../api/annotations.js';
import { reasons } from '../../api/conditions.js';
import { formatResourceKey, type KubeObject } from '../../api/object.js';
import { isForbidden, isNotFound, KubeApiError } from '../../cluster/errors.js';
import { diffObjects, type FieldChange } from '../../diff/compare.js';
import { ignoreRulesFor } from '../../diff/ignore.js';
import { fail, type ReconcileDeps, type StepResult } from '../deps.js';
import { objectHash } from '../diff-cache.js';
import type { LiveView } from './live.js';
import type { PreparedObject } from './prepare.js';

export interface ComparedObject {
  readonly prepared: PreparedObject;
  readonly live: KubeObject | undefined;
  readonly inSync: boolean;
  readonly changes: readonly FieldChange[];
}

const parallelDryRuns = 8;

async function inBatches<T, R>(items: readonly T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

type DryRun = { kind: 'predicted'; object: KubeObject } | { kind: 'namespace-missing' } | { kind: 'error'; error: unknown };

async function dryRun(deps: ReconcileDeps, p: PreparedObject, live: KubeObject | undefined): Promise<DryRun> {
  const liveVersion = live?.metadata.resourceVersion ?? 'absent';
  const desiredHash = objectHash(p.object);
  const cached = deps.diffCache.get(p.trackingId, desiredHash, liveVersion);
  if (cached !== undefined) return { kind: 'predicted', object: cached };
  try {
    const predicted = await deps.resources.apply(p.object, { fieldManager, force: true, dryRun: true });
    deps.diffCache.set(p.trackingId, desiredHash, liveVersion, predicted);
    return { kind: 'predicted', object: predicted };
  } catch (err) {
    // The destination namespace does not exist yet (CreateNamespace creates it at sync time).
    if (live === undefined && isNotFound(err) && err instanceof KubeApiError && /namespaces? "[^"]*" not found/.test(err.message)) {
      return { kind: 'namespace-missing' };
    }
    return { kind: 'error', error: err };
  }
}

/**
 * Compares each desired object with its live object through a server-side apply dry run: the
 * object is in sync when applying it would change nothing. Objects that do not exist are out
 * of sync; the dry run still validates them, so an invalid object fails the comparison before
 * anything is applied.
 */
export async function compareDesired(
  deps: ReconcileDeps, app: Application, prepared: readonly PreparedObject[], view: LiveView,
): Promise<StepResult<ComparedObject[]>> {
  const sharedKeys = new Set(view.shared.map((s) => formatResourceKey(s.key)));
  const candidates = prepared.filter((p) => !sharedKeys.has(formatResourceKey(p.key)));
  const results = await inBatches(candidates, parallelDryRuns, async (p) => {
    const live = view.live.get(formatResourceKey(p.key));
    return { p, live, outcome: await dryRun(deps, p, live) };
  });
  const forbidden: string[] = [];
  const invalid: string[] = [];
  const compared: ComparedObject[] = [];
  for (const { p, live, outcome } of results) {
    if (outcome.kind === 'error') {
      // Only the API server's verdict on the object is a comparison failure; anything else is retried.
      if (!(outcome.error instanceof KubeApiError) || outcome.error.status >= 500) throw outcome.error;
      const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
      (isForbidden(outcome.error) ? forbidden : invalid).push(`${p.key.kind}/${p.key.name}: ${message}`);
      continue;
    }
    if (live === undefined || outcome.kind === 'namespace-missing') {
      compared.push({ prepared: p, live, inSync: false, changes: [] });
      continue;
    }
    const diff = diffObjects(outcome.object, live, { ignore: ignoreRulesFor(p.key, app.spec.ignoreDifferences) });
    compared.push({ prepared: p, live, inSync: diff.equal, changes: diff.changes });
  }
  if (forbidden.length > 0) return fail(reasons.permissionDenied, `not allowed: ${forbidden.slice(0, 5).join('; ')}`);
  if (invalid.length > 0) return fail(reasons.invalidObject, `the API server rejects ${invalid.slice(0, 5).join('; ')}; nothing was applied`);
  return { ok: true, value: compared };
}
