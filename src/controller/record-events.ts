import type { Application, ApplicationStatus } from '../api/application.js';
import { conditionTypes, reasons } from '../api/conditions.js';
import type { ReconcileDeps } from './deps.js';
import type { SyncDecision } from './decide.js';
import { describeRestored, type Drift } from './drift.js';
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

/** Kubernetes Events on the Application for what this reconcile changed or found. */
export function recordEvents(deps: ReconcileDeps, app: Application, input: EventInput): void {
  const emit = (type: 'Normal' | 'Warning', reason: string, message: string): void => {
    void deps.events.record(app, type, reason, message);
  };
  const short = input.sha.slice(0, 7);
  const { outcome } = input;
  if (outcome !== undefined) {
    if (outcome.ok) {
      if (input.decision.initiatedBy.includes('self-heal')) {
        for (const d of input.drift.slice(0, maxPruneEvents)) emit('Normal', 'DriftCorrected', describeRestored(d));
      }
      emit('Normal', 'Synced', `synced to ${short} (${input.decision.initiatedBy}): ${outcome.message}`);
    } else {
      emit('Warning', reasons.syncFailed, `sync to ${short} failed: ${outcome.message}`);
    }
    for (const r of outcome.records.filter((x) => x.action === 'pruned').slice(0, maxPruneEvents)) {
      emit('Normal', 'Pruned', `pruned ${r.kind} ${r.namespace === '' ? '' : `${r.namespace}/`}${r.name}`);
    }
  }
  const before = findCondition(input.previous?.conditions, conditionTypes.ready);
  const after = findCondition(input.next.conditions, conditionTypes.ready);
  if (after === undefined) return;
  const changed = before?.reason !== after.reason || before.message !== after.message;
  if (!changed) return;
  if (after.reason === reasons.outOfSync && outcome === undefined && input.drift.length > 0) {
    emit('Warning', reasons.outOfSync, `${after.message} (${input.decision.why})`);
  } else if (after.reason === reasons.sharedResource) {
    emit('Warning', reasons.sharedResource, after.message);
  } else if (before?.status === 'False' && findCondition(input.previous?.conditions, conditionTypes.stalled) !== undefined && after.status === 'True') {
    emit('Normal', 'Recovered', after.message);
  }
}
