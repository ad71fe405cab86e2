// The approval gate: an app that requires approval (its spec.syncPolicy.approval.required, or
// its project's approval.destinations naming its destination) never syncs a new plan by itself.
// `capstan.dev/approve: <hash>` applies the plan of that hash if it is still the plan; otherwise
// nothing is applied and the plan now waits. A sync asked for by hand (the sync annotation, the
// operation field) is an explicit decision and goes ahead; self-heal of drift at the revision
// last synced stays automatic unless the project's approval.selfHeal is false.
import { appAnnotations } from '../api/annotations.js';
import type { Application, DeployPlan } from '../api/application.js';
import { isRecord } from '../api/object.js';
import { approvalRuleFor, approvalSelfHeals, describeDestination, type AppProject, type DestinationRef, type ProjectDestination } from '../projects/index.js';
import type { SyncDecision } from './decide.js';

/** Why an app requires approval, and whether its self-heal still runs by itself. */
export interface ApprovalRequirement {
  /** The project rule that requires it; absent when the app's own spec does. */
  readonly project?: { readonly name: string; readonly rule: ProjectDestination; readonly destination: DestinationRef };
  /** Self-heal of drift at the revision last synced stays automatic (the project's approval.selfHeal). */
  readonly selfHeal: boolean;
}

/**
 * Whether the app requires approval: by its own spec, or because a rule of its project's
 * approval.destinations names its destination (the app cannot opt out of that). Undefined when not.
 */
export function approvalRequirement(app: Application, project: AppProject | undefined, destination: DestinationRef): ApprovalRequirement | undefined {
  const selfHeal = approvalSelfHeals(project);
  if (app.spec.syncPolicy?.approval?.required === true) return { selfHeal };
  const rule = project === undefined ? undefined : approvalRuleFor(project, destination);
  if (project === undefined || rule === undefined) return undefined;
  return { selfHeal, project: { name: project.metadata.name ?? '', rule, destination } };
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

/** Where the requirement comes from, when it is the project's (the app's own spec says nothing more). */
function requirementPrefix(requirement: ApprovalRequirement): string {
  const from = requirement.project;
  if (from === undefined) return '';
  const dest = from.destination;
  const cluster = dest.name !== undefined && dest.name !== '' ? dest.name : dest.server ?? '';
  return `project ${from.name} requires approval for destination ${cluster}/${dest.namespace} (approval.destinations: ${describeDestination(from.rule)}); `;
}

export function awaitingMessage(app: Application, requirement: ApprovalRequirement, plan: DeployPlan): string {
  return `${requirementPrefix(requirement)}awaiting approval of plan ${plan.hash}: capstan app approve ${app.metadata.name ?? ''} --plan ${plan.hash}`;
}

/**
 * What the gate makes of the decision, for an app that requires approval (`requirement`; an app
 * that does not passes through). `plan` is the plan of this comparison (undefined when the app
 * is in sync); `lastSynced` the revision of the last sync that succeeded.
 */
export function gateApproval(app: Application, requirement: ApprovalRequirement | undefined, decision: SyncDecision, plan: DeployPlan | undefined, request: ApprovalRequest | undefined, lastSynced: string | undefined): GateOutcome {
  if (requirement === undefined) return { kind: 'open', decision };
  if (decision.sync && userTriggers.has(decision.trigger)) return { kind: 'open', decision };
  if (requirement.selfHeal && decision.sync && decision.trigger === 'self-heal' && lastSynced === plan?.revision) return { kind: 'open', decision };
  if (plan === undefined) return { kind: 'open', decision: decision.sync ? { sync: false, prune: decision.prune, why: 'nothing to apply' } : decision };
  if (request !== undefined && request.hash === plan.hash) {
    return {
      kind: 'approved', request,
      // Exactly the plan: its prunes too.
      decision: {
        sync: true, prune: plan.counts.prune > 0 || decision.prune, trigger: 'user', initiatedBy: `approved by ${request.by} (plan ${plan.hash})`, why: `plan ${plan.hash} approved`,
        approved: { by: request.by, planHash: plan.hash },
      },
    };
  }
  const message = awaitingMessage(app, requirement, plan);
  const waiting: SyncDecision = { sync: false, prune: decision.prune, why: message, approval: message };
  return { kind: 'waiting', decision: waiting, plan, ...(request !== undefined ? { stale: request } : {}) };
}
