import { eventReasons, reasons, type Reason } from '../../api/conditions.js';
import { fail, ok } from '../../api/result.js';
import { repoUrlAdvisories } from '../../git/advisories.js';
import type { GitFailure } from '../../git/types.js';
import type { ChartFailureCode } from '../../charts/index.js';
import type { Result } from '../../api/result.js';
import { appSources, isMultiSource, type ApplicationSource } from '../../api/application.js';
import type { ReconcileContext, ResolvedSource, Step } from '../context.js';
import { isResumable } from './sync.js';
import { promotionPollMs, promotionTarget } from '../promotion.js';

export function gitReason(error: GitFailure): Reason {
  if (error.code === 'InvalidRepoURL') return reasons.invalidSpec;
  if (error.code === 'AuthenticationFailed') return reasons.authenticationFailed;
  return error.code === 'RevisionNotFound' ? reasons.revisionNotFound : reasons.gitError;
}

/** The condition message of a git failure; a refused URL names the field. */
export function gitMessage(error: GitFailure): string {
  return error.code === 'InvalidRepoURL' ? `spec.source.repoURL: ${error.message}` : error.message;
}

/**
 * Resolves the app's revision (or the pinned sync-revision) to a commit. A new or changed spec,
 * a refresh or a requested sync asks the remote now; otherwise the ref table the repository
 * poller (or a webhook) brought back is used. A URL the controller does not read is InvalidSpec.
 */
export const resolveRevision: Step = {
  name: 'resolve',
  run: async (ctx) => {
    warnAboutRepoUrl(ctx);
    // A sync under way goes on at the revision it started with; Git moving on starts the next one.
    const running = ctx.app.status?.operationState;
    const requested = ctx.requests.operation?.ok === true ? ctx.requests.operation.value.revision : undefined;
    let pinned = isResumable(running) && running.revision !== undefined ? running.revision : requested ?? ctx.requests.syncRevision;
    if (pinned === undefined && ctx.app.spec.promotion !== undefined) {
      const promoted = promotedRevision(ctx);
      if (!promoted.ok) return promoted;
      pinned = promoted.value;
    }
    const sources = appSources(ctx.app.spec);
    // Several sources: a revision names one per source, comma-separated (as status.sync.revision shows it).
    const given = pinned === undefined ? undefined : isMultiSource(ctx.app.spec) ? pinned.split(',') : [pinned];
    if (given !== undefined && given.length !== sources.length) {
      return fail(reasons.invalidSpec, `the revision "${pinned ?? ''}" names ${given.length} revisions; this app has ${sources.length} sources, so it needs one per source, comma-separated`);
    }
    const resolved: ResolvedSource[] = [];
    for (const [index, source] of sources.entries()) {
      const at = isMultiSource(ctx.app.spec) ? `spec.sources[${index}]: ` : '';
      const one = await resolveSource(ctx, source, given?.[index] ?? source.targetRevision);
      if (!one.ok) return fail(one.error.reason, `${at}${one.error.message}`);
      resolved.push(one.value);
    }
    ctx.sources = resolved;
    ctx.sha = resolved.map((r) => r.revision).join(',');
    return ok(undefined);
  },
};

/** The revision spec.promotion lets the app have (recording in ctx why a newer one waits). */
function promotedRevision(ctx: ReconcileContext): Result<string | undefined> {
  const after = ctx.app.spec.promotion?.after;
  if (after === undefined) return ok(undefined);
  const followed = ctx.deps.apps.get({ namespace: ctx.key.namespace, name: after.application });
  const target = promotionTarget(ctx.app, followed, ctx.deps.promotionClock, ctx.deps.now());
  if (target === undefined) return ok(undefined);
  if (target.kind === 'invalid') return fail(reasons.invalidSpec, target.message);
  // Following an app: look at it again soon, also when nothing waits (its status changes do not enqueue this app).
  if (target.kind === 'promote') {
    ctx.promotion = { retryInMs: promotionPollMs };
    return ok(target.revision);
  }
  ctx.promotion = { message: target.message, retryInMs: target.retryInMs };
  // Nothing deployed yet: nothing to compare with until the followed app has a revision to give.
  if (target.revision === undefined) return fail(reasons.promotionPending, target.message);
  return ok(target.revision);
}

/** One source at a revision: a Git commit, or a chart version and its archive's digest. */
async function resolveSource(ctx: ReconcileContext, source: ApplicationSource, revision: string | undefined): Promise<Result<ResolvedSource>> {
  if (source.chart !== undefined) return resolveChart(ctx, source, source.chart, revision);
  const resolved = await ctx.deps.repos.resolve(source.repoURL, revision, { force: ctx.force, maxAgeMs: ctx.force ? 0 : Infinity });
  if (!resolved.ok) return fail(gitReason(resolved.error), gitMessage(resolved.error));
  return ok({ source, revision: resolved.sha });
}

const chartReasons: Record<ChartFailureCode, Reason> = {
  ChartNotFound: reasons.revisionNotFound,
  ChartRepoError: reasons.chartRepoError,
  InvalidChartRef: reasons.invalidSpec,
};

/** A chart's version (a range resolves to the highest version it admits); its archive's digest goes with it. */
async function resolveChart(ctx: ReconcileContext, source: ApplicationSource, chart: string, revision: string | undefined): Promise<Result<ResolvedSource>> {
  const resolved = await ctx.deps.charts.resolve({ repoURL: source.repoURL, chart, targetRevision: revision }, { force: ctx.force });
  if (!resolved.ok) return fail(chartReasons[resolved.code], resolved.message);
  return ok({ source, revision: resolved.version, chartDigest: resolved.digest });
}

/** Once per spec change: a Warning Event (and a log line) for credentials in the URL or a plaintext transport. */
function warnAboutRepoUrl(ctx: ReconcileContext): void {
  if (ctx.app.status?.observedGeneration === ctx.app.metadata.generation) return;
  for (const advisory of appSources(ctx.app.spec).flatMap((s) => repoUrlAdvisories(s.repoURL))) {
    ctx.log.warn({ advisory: advisory.kind }, advisory.message);
    ctx.deps.events.record(ctx.app, 'Warning', advisory.kind === 'credentials' ? eventReasons.credentialsInURL : eventReasons.insecureRepoURL, advisory.message);
  }
}
