import type { Application, ApplicationStatus } from '../api/application.js';
import { conditionTypes, eventReasons, reasons } from '../api/conditions.js';
import type { EventSink } from './ports.js';
import type { SyncDecision } from './decide.js';
import { describeRestored, type Drift } from './drift.js';
import { describeBackoff } from './self-heal.js';
import { findCondition } from './status/conditions.js';
import type { SyncOutcome } from './steps/sync.js';

export interface EventInput {
  readonly previous: ApplicationStatus | undefined;
  readonly next: ApplicationStatus;
  readonly outcome: SyncOutcome | undefined;
  readonly decision: SyncDecision;
  /** Objects that differed from Git before any sync, with what differed and who changed it. */
  readonly drift: readonly Drift[];
  readonly sha: string;
}

const maxPruneEvents = 10;

/** Kubernetes Events on the Application for what this reconcile changed or found (only for changes). */
export function recordEvents(events: EventSink, app: Application, input: EventInput): void {
  const short = input.sha.slice(0, 7);
  const { outcome, decision } = input;
  if (outcome !== undefined && decision.sync) {
    if (outcome.ok) {
      if (decision.trigger === 'self-heal') {
        for (const d of input.drift.slice(0, maxPruneEvents)) events.record(app, 'Normal', eventReasons.driftCorrected, describeRestored(d));
      }
      events.record(app, 'Normal', eventReasons.synced, `synced to ${short} (${decision.initiatedBy}): ${outcome.message}`);
    } else {
      events.record(app, 'Warning', outcome.refusedEmpty ? reasons.emptyRefused : eventReasons.syncFailed, `sync to ${short} failed: ${outcome.message}`);
    }
    for (const r of outcome.records.filter((x) => x.action === 'pruned').slice(0, maxPruneEvents)) {
      events.record(app, 'Normal', eventReasons.pruned, `pruned ${r.kind} ${r.namespace === '' ? '' : `${r.namespace}/`}${r.name}`);
    }
  }
  const before = findCondition(input.previous?.conditions, conditionTypes.ready);
  const after = findCondition(input.next.conditions, conditionTypes.ready);
  if (after === undefined) return;
  const changed = before?.reason !== after.reason || before.message !== after.message;
  if (!changed) return;
  if (after.reason === reasons.outOfSync && outcome === undefined && input.drift.length > 0) {
    events.record(app, 'Warning', eventReasons.outOfSync, `${after.message} (${decision.why})`);
  } else if (after.reason === reasons.driftFight) {
    // Once when the fight begins and once for each longer delay, not for each heal: the Event is
    // aggregated (one per app, its count bumped, its message the latest delay).
    const fight = decision.sync ? undefined : decision.fight;
    if (fight?.newDelay === true) events.record(app, 'Warning', eventReasons.selfHealBackoff, describeBackoff(input.drift, fight));
  } else if (after.reason === reasons.syncWindowClosed && outcome === undefined) {
    events.record(app, 'Normal', reasons.syncWindowClosed, after.message);
  } else if (after.reason === reasons.sharedResource) {
    events.record(app, 'Warning', eventReasons.sharedResource, after.message);
  } else if (before?.status === 'False' && findCondition(input.previous?.conditions, conditionTypes.stalled) !== undefined && after.status === 'True') {
    events.record(app, 'Normal', eventReasons.recovered, after.message);
  }
  const stalled = findCondition(input.next.conditions, conditionTypes.stalled);
  if (stalled?.reason === reasons.retriesExhausted && findCondition(input.previous?.conditions, conditionTypes.stalled)?.reason !== reasons.retriesExhausted) {
    events.record(app, 'Warning', reasons.retriesExhausted, stalled.message);
  }
}
