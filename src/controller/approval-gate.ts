// The approval gate (spec.syncPolicy.approval.required): such an app never syncs a new plan by
// itself. `capstan.dev/approve: <hash>` applies the plan of that hash if it is still the plan;
// otherwise nothing is applied and the plan now waits. A sync asked for by hand (the sync
// annotation, the operation field) is an explicit decision and goes ahead; self-heal of drift at
// the revision last synced stays automatic.
import { appAnnotations } from '../api/annotations.js';
import type { Application, DeployPlan } from '../api/application.js';
import { isRecord } from '../api/object.js';
import type { SyncDecision } from './decide.js';

export function approvalRequired(app: Application): boolean {
  return app.spec.syncPolicy?.approval?.required === true;
}

/** An approval on the app: the hash, and who wrote it (the field manager of the annotation). */
export interface ApprovalRequest {
  readonly hash: string;
  readonly by: string;
}

/** The field manager that owns `annotation` in the app's managedFields. */
function annotationManager(app: Application, annotation: string): string | undefined {
  for (const entry of app.metadata.managedFields ?? []) {
    const metadata = isRecord(entry.fieldsV1) ? entry.fieldsV1['f:metadata'] : undefined;
    const annotations = isRecord(metadata) ? metadata['f:annotations'] : undefined;
    if (isRecord(annotations) && annotations[`f:${annotation}`] !== undefined && entry.manager !== undefined) return entry.manager;
  }
  return undefined;
}

export function approvalRequest(app: Application): ApprovalRequest | undefined {
  const hash = app.metadata.annotations?.[appAnnotations.approve]?.trim();
  if (hash === undefined || hash === '') return undefined;
  return { hash, by: annotationManager(app, appAnnotations.approve) ?? 'unknown' };
}

export type GateOutcome =
  | { readonly kind: 'open'; readonly decision: SyncDecision }
  /** The approved plan is the plan now: it is applied. */
  | { readonly kind: 'approved'; readonly decision: SyncDecision; readonly request: ApprovalRequest }
  /** The sync waits for approval of `plan`; `stale` is an approval of another plan, applied not. */
  | { readonly kind: 'waiting'; readonly decision: SyncDecision; readonly plan: DeployPlan; readonly stale?: ApprovalRequest };

const userTriggers = new Set(['user', 'resume']);

export function awaitingMessage(app: Application, plan: DeployPlan): string {
  return `awaiting approval of plan ${plan.hash}: capstan app approve ${app.metadata.name ?? ''} --plan ${plan.hash}`;
}

/**
 * What the gate makes of the decision. `plan` is the plan of this comparison (undefined when
 * the app is in sync); `lastSynced` the revision of the last sync that succeeded.
 */
export function gateApproval(app: Application, decision: SyncDecision, plan: DeployPlan | undefined, request: ApprovalRequest | undefined, lastSynced: string | undefined): GateOutcome {
  if (!approvalRequired(app)) return { kind: 'open', decision };
  if (decision.sync && userTriggers.has(decision.trigger)) return { kind: 'open', decision };
  if (decision.sync && decision.trigger === 'self-heal' && lastSynced === plan?.revision) return { kind: 'open', decision };
  if (plan === undefined) return { kind: 'open', decision: decision.sync ? { sync: false, prune: decision.prune, why: 'nothing to apply' } : decision };
  if (request !== undefined && request.hash === plan.hash) {
    return {
      kind: 'approved', request,
      // Exactly the plan: its prunes too.
      decision: { sync: true, prune: plan.counts.prune > 0 || decision.prune, trigger: 'user', initiatedBy: `approved by ${request.by} (plan ${plan.hash})`, why: `plan ${plan.hash} approved` },
    };
  }
  const waiting: SyncDecision = { sync: false, prune: decision.prune, why: awaitingMessage(app, plan), approval: awaitingMessage(app, plan) };
  return { kind: 'waiting', decision: waiting, plan, ...(request !== undefined ? { stale: request } : {}) };
}
