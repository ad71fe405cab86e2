import { eventReasons, reasons, type Reason } from '../../api/conditions.js';
import { fail, ok } from '../../api/result.js';
import { repoUrlAdvisories } from '../../git/advisories.js';
import type { GitFailure } from '../../git/types.js';
import type { ChartFailureCode } from '../../charts/index.js';
import type { Result } from '../../api/result.js';
import type { ReconcileContext, Step } from '../context.js';
import { isResumable } from './sync.js';

export function gitReason(error: GitFailure): typeof reasons.revisionNotFound | typeof reasons.gitError | typeof reasons.invalidSpec {
  if (error.code === 'InvalidRepoURL') return reasons.invalidSpec;
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
    const revision = isResumable(running) && running.revision !== undefined ? running.revision : requested ?? ctx.requests.syncRevision ?? ctx.app.spec.source.targetRevision;
    const { chart } = ctx.app.spec.source;
    if (chart !== undefined) return resolveChart(ctx, chart, revision);
    const resolved = await ctx.deps.repos.resolve(ctx.app.spec.source.repoURL, revision, { force: ctx.force, maxAgeMs: ctx.force ? 0 : Infinity });
    if (!resolved.ok) return fail(gitReason(resolved.error), gitMessage(resolved.error));
    ctx.sha = resolved.sha;
    return ok(undefined);
  },
};

const chartReasons: Record<ChartFailureCode, Reason> = {
  ChartNotFound: reasons.revisionNotFound,
  ChartRepoError: reasons.chartRepoError,
  InvalidChartRef: reasons.invalidSpec,
};

/** A chart's version (a range resolves to the highest version it admits); its archive's digest goes with it. */
async function resolveChart(ctx: ReconcileContext, chart: string, revision: string | undefined): Promise<Result<void>> {
  const resolved = await ctx.deps.charts.resolve({ repoURL: ctx.app.spec.source.repoURL, chart, targetRevision: revision }, { force: ctx.force });
  if (!resolved.ok) return fail(chartReasons[resolved.code], resolved.message);
  ctx.sha = resolved.version;
  ctx.chartDigest = resolved.digest;
  return ok(undefined);
}

/** Once per spec change: a Warning Event (and a log line) for credentials in the URL or a plaintext transport. */
function warnAboutRepoUrl(ctx: ReconcileContext): void {
  if (ctx.app.status?.observedGeneration === ctx.app.metadata.generation) return;
  for (const advisory of repoUrlAdvisories(ctx.app.spec.source.repoURL)) {
    ctx.log.warn({ advisory: advisory.kind }, advisory.message);
    ctx.deps.events.record(ctx.app, 'Warning', advisory.kind === 'credentials' ? eventReasons.credentialsInURL : eventReasons.insecureRepoURL, advisory.message);
  }
}
