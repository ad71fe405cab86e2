/**
 * Capstan's conditions → Argo CD's. Argo CD has no Ready/Reconciling/Stalled: a condition is an
 * error or a warning that is present (type, message, lastTransitionTime) or absent. So a Capstan
 * condition becomes one when it reports a problem — Ready=False, Stalled=True, any other
 * condition True — and its reason decides the Argo CD type by the table below (every reason
 * listed; undefined: a state Argo CD shows in sync, health or operationState, not as a condition).
 * One condition per Argo CD type (the first: Ready before Stalled), as Argo CD keeps them.
 */
import type { Condition } from '../api/application.js';
import { conditionTypes, reasons, type Reason } from '../api/conditions.js';
import { argoConditionTypes as argo, type ArgoApplicationCondition, type ArgoConditionType } from './types.js';

export const argoConditionTypeOfReason: Readonly<Record<Reason, ArgoConditionType | undefined>> = {
  [reasons.synced]: undefined,
  [reasons.outOfSync]: undefined,
  [reasons.progressing]: undefined,
  [reasons.degraded]: undefined,
  [reasons.invalidSpec]: argo.invalidSpecError,
  [reasons.gitError]: argo.comparisonError,
  [reasons.authenticationFailed]: argo.comparisonError,
  [reasons.chartRepoError]: argo.comparisonError,
  [reasons.revisionNotFound]: argo.comparisonError,
  [reasons.pathNotFound]: argo.comparisonError,
  [reasons.renderError]: argo.comparisonError,
  [reasons.unknownKind]: argo.comparisonError,
  [reasons.invalidObject]: argo.comparisonError,
  [reasons.sharedResource]: argo.sharedResourceWarning,
  [reasons.syncFailed]: argo.syncError,
  [reasons.retriesExhausted]: argo.syncError,
  // Reading or comparing what the app manages was refused by the API server.
  [reasons.permissionDenied]: argo.comparisonError,
  [reasons.emptyRefused]: argo.syncError,
  [reasons.deleteFailed]: argo.deletionError,
  // Found while reading live objects, before anything is applied.
  [reasons.orphanedOwner]: argo.comparisonError,
  [reasons.protectedNamespace]: argo.comparisonError,
  // Automated sync cannot keep the objects as Git has them.
  [reasons.driftFight]: argo.syncError,
  [reasons.statusTooLarge]: argo.unknownError,
  [reasons.clusterUnreachable]: argo.comparisonError,
  // Argo CD reports a destination it cannot resolve as an invalid spec.
  [reasons.clusterNotFound]: argo.invalidSpecError,
  [reasons.outsideClusterScope]: argo.comparisonError,
  // Argo CD reports a project's refusal (source, destination, missing project) as an invalid spec.
  [reasons.projectDenied]: argo.invalidSpecError,
  // Argo CD shows closed windows in the app's sync windows, not as a condition.
  [reasons.syncWindowClosed]: undefined,
  [reasons.awaitingApproval]: undefined,
  [reasons.promotionPending]: undefined,
  [reasons.orphanedResources]: argo.orphanedResourceWarning,
  // Reconciling=True while the API server fails or throttles: an error of the controller, not the app.
  [reasons.retrying]: argo.unknownError,
  [reasons.syncing]: undefined,
  [reasons.deleting]: undefined,
};

function reportsProblem(condition: Condition): boolean {
  return condition.type === conditionTypes.ready ? condition.status === 'False' : condition.status === 'True';
}

function argoTypeOf(reason: string): ArgoConditionType | undefined {
  if (!Object.hasOwn(argoConditionTypeOfReason, reason)) return argo.unknownError;
  return argoConditionTypeOfReason[reason as Reason];
}

/** The Argo CD conditions of Capstan's: one per Argo CD type, in Capstan's order. */
export function toArgoConditions(conditions: readonly Condition[] | undefined): ArgoApplicationCondition[] {
  const byType = new Map<string, ArgoApplicationCondition>();
  for (const condition of conditions ?? []) {
    if (!reportsProblem(condition)) continue;
    const type = argoTypeOf(condition.reason);
    if (type === undefined || byType.has(type)) continue;
    byType.set(type, { type, message: condition.message, ...(condition.lastTransitionTime !== '' ? { lastTransitionTime: condition.lastTransitionTime } : {}) });
  }
  return [...byType.values()];
}
