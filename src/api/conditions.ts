/** Condition types and reasons on an Application (DESIGN.md §6.5). */
export const conditionTypes = {
  ready: 'Ready',
  reconciling: 'Reconciling',
  stalled: 'Stalled',
} as const;

export const reasons = {
  // Ready=True
  synced: 'Synced',
  // Ready=False / Stalled / error reasons
  outOfSync: 'OutOfSync',
  progressing: 'Progressing',
  degraded: 'Degraded',
  invalidSpec: 'InvalidSpec',
  gitError: 'GitError',
  revisionNotFound: 'RevisionNotFound',
  pathNotFound: 'PathNotFound',
  renderError: 'RenderError',
  unknownKind: 'UnknownKind',
  invalidObject: 'InvalidObject',
  clusterError: 'ClusterError',
  sharedResource: 'SharedResource',
  syncFailed: 'SyncFailed',
  permissionDenied: 'PermissionDenied',
  emptyRefused: 'EmptyPlanRefused',
  deleteFailed: 'DeleteFailed',
  // Reconciling
  syncing: 'Syncing',
  deleting: 'Deleting',
} as const;

export type Reason = (typeof reasons)[keyof typeof reasons];
