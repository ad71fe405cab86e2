import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { appAnnotations } from '../api/annotations.js';
import type { Application, ApplicationStatus, OperationState } from '../api/application.js';
import { removeHandledAnnotations, readRequests, type AppRequests } from './annotations.js';
import { decideSync } from './decide.js';
import { driftOf } from './drift.js';
import type { ReconcileDeps, StepFailure } from './deps.js';
import { ensureFinalizer, finalizeApp } from './finalize.js';
import { intervalOf } from './interval.js';
import type { ReconcileResult } from './queue.js';
import { recordEvents } from './record-events.js';
import { buildStatus, failureStatus } from './status/build.js';
import { compareDesired } from './steps/compare.js';
import { fetchSource } from './steps/fetch.js';
import { readLive } from './steps/live.js';
import { prepareDesired } from './steps/prepare.js';
import { forgetRender, renderSource } from './steps/render.js';
import { runSync, type SyncOutcome } from './steps/sync.js';

function splitKey(key: string): [string, string] {
  const slash = key.indexOf('/');
  return [key.slice(0, slash), key.slice(slash + 1)];
}

/**
 * One reconcile of one Application (DESIGN.md §2.2): level-based, it reads the app and the
 * cluster as they are now and moves the cluster one step towards Git.
 */
export async function reconcileApp(deps: ReconcileDeps, key: string, signal: AbortSignal): Promise<ReconcileResult> {
  const [namespace, name] = splitKey(key);
  const found = await currentApp(deps, key, namespace, name);
  if (found === undefined) return {};
  const log = deps.logger.child({ app: key, reconcileId: randomUUID().slice(0, 8) });
  const requests = readRequests(found);
  if (requests.skip) return {};
  if (found.metadata.deletionTimestamp !== undefined) return finalizeApp(deps, found);
  const app = await ensureFinalizer(deps, found);
  const interval = intervalOf(app, deps.settings.defaultIntervalMs);
  const requeue = { requeueAfterMs: Math.round(interval * (1 + Math.random() * 0.1)) };

  if (requests.refresh === 'hard') refreshHard(deps, app, key);
  // A new or changed spec, a refresh and a requested sync look at the remote now; otherwise the
  // ref table the repository poller (or a webhook) brought back is used.
  const refreshedBy = takeRefreshReason(deps, key);
  const specChanged = app.status?.observedGeneration !== app.metadata.generation;
  const force = specChanged || requests.refresh !== undefined || requests.syncToken !== undefined;
  const fetched = await fetchSource(deps, app, requests.syncRevision ?? app.spec.source.targetRevision, { force, maxAgeMs: force ? 0 : Infinity });
  if (refreshedBy !== undefined) log.info({ reason: refreshedBy }, 'refreshed');
  if (!fetched.ok) return reportFailure(deps, app, requests, fetched.failure, log, requeue);
  const sha = fetched.value.sha;
  const rendered = await renderSource(deps, app, fetched.value);
  if (!rendered.ok) return reportFailure(deps, app, requests, rendered.failure, log, requeue, sha);
  const prepared = await prepareDesired(deps.resources.discovery, app, rendered.value);
  if (!prepared.ok) return reportFailure(deps, app, requests, prepared.failure, log, requeue, sha);
  const live = await readLive(deps, app, prepared.value);
  if (!live.ok) return reportFailure(deps, app, requests, live.failure, log, requeue, sha);
  const view = live.value;
  const compared = await compareDesired(deps, app, prepared.value, view);
  if (!compared.ok) return reportFailure(deps, app, requests, compared.failure, log, requeue, sha);

  const drift = driftOf(compared.value);
  const decision = decideSync({
    app, sha, outOfSync: drift.length > 0, hasPrunable: view.prunable.length > 0, requestedToken: requests.syncToken,
  });
  const startedAt = new Date().toISOString();
  let outcome: SyncOutcome | undefined;
  if (decision.sync) {
    log.info({ revision: sha, why: decision.why }, 'syncing');
    void deps.events.record(app, 'Normal', 'SyncStarted', `syncing to ${sha.slice(0, 7)} (${decision.initiatedBy}: ${decision.why})`);
    outcome = await runSync(deps, app, compared.value, view, { prune: decision.prune, signal });
    log.info({ revision: sha, ok: outcome.ok, result: outcome.message }, 'sync finished');
  }
  const built = buildStatus({
    app, sha, compared: compared.value, view, outcome, now: new Date().toISOString(), maxResources: deps.settings.maxStatusResources,
    operation: outcome === undefined ? undefined : {
      startedAt, revision: sha, initiatedBy: decision.initiatedBy, ...(requests.syncToken !== undefined ? { syncToken: requests.syncToken } : {}),
    },
  });
  const status = refreshedBy === undefined ? built.status : { ...built.status, lastRefresh: { reason: refreshedBy, at: new Date().toISOString() } };
  await writeStatus(deps, app, status);
  // A refresh from outside is recorded in status; an Event only when it moved the app.
  if (refreshedBy !== undefined && app.status?.sync?.revision !== sha) void deps.events.record(app, 'Normal', 'Refreshed', `${refreshedBy}: now at ${sha.slice(0, 7)}`);
  deps.metrics.appStatus(namespace, name, built.syncStatus, built.health.status);
  if (outcome !== undefined) deps.metrics.syncFinished(outcome.ok ? 'succeeded' : outcome.interrupted ? 'interrupted' : 'failed');
  recordEvents(deps, app, { previous: app.status, next: built.status, outcome, decision, drift, sha });
  return requeue;
}

/**
 * The app as it is now. The informer's copy is current when it is the version this controller
 * last wrote; otherwise (a change by someone else, or a watch that lags behind our own status
 * write) it is read from the API server, so a reconcile never starts from a stale status.
 */
async function currentApp(deps: ReconcileDeps, key: string, namespace: string, name: string): Promise<Application | undefined> {
  const cached = deps.apps.get(namespace, name);
  if (cached === undefined) return undefined;
  if (cached.metadata.resourceVersion !== undefined && cached.metadata.resourceVersion === deps.lastWritten.get(key)) return cached;
  return deps.apps.fetch(namespace, name);
}

function takeRefreshReason(deps: ReconcileDeps, key: string): string | undefined {
  const reason = deps.refreshReasons.get(key);
  deps.refreshReasons.delete(key);
  return reason;
}

function refreshHard(deps: ReconcileDeps, app: Application, key: string): void {
  deps.repos.invalidate(app.spec.source.repoURL);
  forgetRender(deps, app, app.status?.sync?.revision);
  deps.diffCache.forgetApp(key);
}

async function writeStatus(deps: ReconcileDeps, app: Application, status: ApplicationStatus): Promise<void> {
  const key = `${app.metadata.namespace ?? ''}/${app.metadata.name ?? ''}`;
  const written = await deps.apps.writeStatus(app, status);
  if (written.metadata.resourceVersion !== undefined) deps.lastWritten.set(key, written.metadata.resourceVersion);
  // A sync token already handled (the same token annotated again) is removed without a sync.
  const ops = removeHandledAnnotations(app, [appAnnotations.refresh, appAnnotations.sync]);
  if (ops.length > 0) {
    await deps.apps.patch(app, ops).then((patched) => {
      if (patched.metadata.resourceVersion !== undefined) deps.lastWritten.set(key, patched.metadata.resourceVersion);
    }, (err: unknown) => {
      deps.logger.debug({ err }, 'annotation changed while it was handled; it will be handled again');
    });
  }
}

/** Reports a step failure: condition + Event, the cluster untouched, a requested sync recorded as failed. */
async function reportFailure(
  deps: ReconcileDeps, app: Application, requests: AppRequests, failure: StepFailure, log: Logger,
  requeue: ReconcileResult, sha?: string,
): Promise<ReconcileResult> {
  log.warn({ reason: failure.reason, message: failure.message }, 'reconcile stopped before sync; nothing applied');
  const now = new Date().toISOString();
  const operation: OperationState | undefined = requests.syncToken === undefined ? undefined : {
    phase: 'Error', message: failure.message, startedAt: now, finishedAt: now, syncToken: requests.syncToken,
    initiatedBy: `user (${requests.syncToken})`, ...(sha !== undefined ? { revision: sha } : {}),
  };
  const status = failureStatus(app, failure, now, operation);
  await writeStatus(deps, app, status);
  deps.metrics.appStatus(app.metadata.namespace ?? '', app.metadata.name ?? '', 'Unknown', status.health?.status ?? 'Unknown');
  const before = app.status?.conditions?.find((c) => c.type === 'Ready');
  if (before?.reason !== failure.reason || before.message !== failure.message) {
    void deps.events.record(app, 'Warning', failure.reason, failure.message);
  }
  return requeue;
}
