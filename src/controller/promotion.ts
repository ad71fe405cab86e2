// Promotion (spec.promotion.after): an app syncs only the revisions the app it follows (same
// namespace, same repository) has had Synced and Healthy for at least `healthyFor`, so prod
// follows stage commit by commit and is never ahead of it.
import { primarySource, type Application } from '../api/application.js';
import { conditionTypes } from '../api/conditions.js';
import { parseDuration } from '../api/duration.js';
import { normalizeRepoUrl } from '../git/url.js';

/** How often a waiting app looks at the app it follows again, besides at every change of that app's sync or health (the controller enqueues followers then). */
export const promotionPollMs = 30_000;

export type PromotionTarget =
  /** Sync this revision (the followed app's, held long enough). */
  | { readonly kind: 'promote'; readonly revision: string }
  /** Stay at `revision` (the last one deployed; undefined: none yet); `message` says which waits and until when. */
  | { readonly kind: 'wait'; readonly revision: string | undefined; readonly message: string; readonly retryInMs: number }
  /** The followed app cannot be followed (another repository): refused. */
  | { readonly kind: 'invalid'; readonly message: string };

/**
 * Since when each followed app has been Synced and Healthy at its revision, as this controller
 * saw it. After a restart the clock starts again: a promotion waits the longer, never the less.
 */
export class PromotionClock {
  private readonly seen = new Map<string, { revision: string; since: number }>();

  /** Records what the followed app is now; returns since when it has been Synced and Healthy at `revision` (undefined: it is not). */
  observe(key: string, revision: string | undefined, now: number): number | undefined {
    if (revision === undefined) {
      this.seen.delete(key);
      return undefined;
    }
    const known = this.seen.get(key);
    if (known?.revision === revision) return known.since;
    this.seen.set(key, { revision, since: now });
    return now;
  }
}

function syncedHealthyRevision(app: Application): string | undefined {
  const s = app.status;
  const running = s?.operationState !== undefined && (s.operationState.phase === 'Running' || s.operationState.phase === 'Terminating');
  return s?.sync?.status === 'Synced' && s.health?.status === 'Healthy' && !running ? s.sync.revision : undefined;
}

/** Since when the app's Ready condition has been True (it turns False while a sync of a new commit runs). */
function readySince(app: Application): number | undefined {
  const ready = app.status?.conditions?.find((c) => c.type === conditionTypes.ready);
  return ready?.status === 'True' ? Date.parse(ready.lastTransitionTime) : undefined;
}

export function promotionTarget(app: Application, followed: Application | undefined, clock: PromotionClock, now: number): PromotionTarget | undefined {
  const after = app.spec.promotion?.after;
  if (after === undefined) return undefined;
  const current = app.status?.history?.at(-1)?.revision;
  const healthyForMs = after.healthyFor === undefined ? 0 : parseDuration(after.healthyFor) ?? 0;
  const wait = (message: string, retryInMs = promotionPollMs): PromotionTarget => ({ kind: 'wait', revision: current, message, retryInMs: Math.max(1_000, retryInMs) });
  const name = `${app.metadata.namespace ?? ''}/${after.application}`;
  if (followed === undefined) return wait(`follows Application ${name}, which does not exist`);
  if (normalizeRepoUrl(primarySource(followed.spec).repoURL) !== normalizeRepoUrl(primarySource(app.spec).repoURL)) {
    return { kind: 'invalid', message: `spec.promotion.after.application ${name} deploys another repository; an app follows only one of its own repository` };
  }
  const revision = syncedHealthyRevision(followed);
  const seenSince = clock.observe(name, revision, now);
  if (revision === undefined || seenSince === undefined) {
    const s = followed.status;
    return wait(`waits for ${name} to be Synced and Healthy (it is ${s?.sync?.status ?? 'Unknown'} and ${s?.health?.status ?? 'Unknown'} at ${s?.sync?.revision?.slice(0, 7) ?? 'no revision'})`);
  }
  if (revision === current) return { kind: 'promote', revision };
  const since = Math.max(seenSince, readySince(followed) ?? seenSince);
  const due = since + healthyForMs;
  if (now >= due) return { kind: 'promote', revision };
  return wait(`revision ${revision.slice(0, 7)} waits until ${new Date(due).toISOString()}: ${name} has been Synced and Healthy at it since ${new Date(since).toISOString()}, and must be for ${after.healthyFor ?? '0s'}`, due - now);
}
