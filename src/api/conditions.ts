/** Condition types and reasons on an Application (DESIGN.md §6.5). */
export const conditionTypes = {
  ready: 'Ready',
  reconciling: 'Reconciling',
  stalled: 'Stalled',
  /** Present (True) only while the project warns of orphaned resources and the destination namespace has some (Argo CD's name). */
  orphanedResourceWarning: 'OrphanedResourceWarning',
  /** Present (True) while spec.promotion holds a revision back: which, and until when. */
  promotionPending: 'PromotionPending',
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
  /** The repository refused the credentials (or their absence), a Secret serving it cannot be used, or an ssh host key is unknown. */
  authenticationFailed: 'AuthenticationFailed',
  /** A Helm chart repository or OCI registry could not be read. */
  chartRepoError: 'ChartRepoError',
  revisionNotFound: 'RevisionNotFound',
  pathNotFound: 'PathNotFound',
  renderError: 'RenderError',
  unknownKind: 'UnknownKind',
  invalidObject: 'InvalidObject',
  sharedResource: 'SharedResource',
  syncFailed: 'SyncFailed',
  retriesExhausted: 'RetriesExhausted',
  permissionDenied: 'PermissionDenied',
  emptyRefused: 'EmptyPlanRefused',
  deleteFailed: 'DeleteFailed',
  /** A desired object carries the tracking id of an Application that does not exist (a leftover or a squatter). */
  orphanedOwner: 'OrphanedOwner',
  /** Git declares objects in a namespace the controller protects (its own, by default). */
  protectedNamespace: 'ProtectedNamespace',
  /** Self-heal keeps reverting the same drift that another field manager puts back; it backs off. */
  driftFight: 'DriftFight',
  /** The API server refused the full status by its size; a shortened one was written. */
  statusTooLarge: 'StatusTooLarge',
  /** The destination cluster does not answer: health Unknown, nothing applied or pruned until it does. */
  clusterUnreachable: 'ClusterUnreachable',
  /** spec.destination names no registered cluster (no cluster Secret has that name or server), or its Secret cannot be used. */
  clusterNotFound: 'ClusterNotFound',
  /** An object lies outside what the destination's cluster Secret reaches (its namespaces; cluster-scoped objects without clusterResources). */
  outsideClusterScope: 'OutsideClusterScope',
  /** The app breaks a rule of its AppProject (source, destination, kind, namespace of the app), or the project does not exist. */
  projectDenied: 'ProjectDenied',
  /** A sync window of the app's project is closed: syncs wait until it opens. */
  syncWindowClosed: 'SyncWindowClosed',
  /** spec.syncPolicy.approval.required: the plan waits for `capstan.dev/approve: <hash>`. */
  awaitingApproval: 'AwaitingApproval',
  /** spec.promotion: the app waits for the app it follows. */
  promotionPending: 'PromotionPending',
  /** Objects in the destination namespace that no app manages (OrphanedResourceWarning). */
  orphanedResources: 'OrphanedResources',
  // Reconciling
  retrying: 'Retrying',
  syncing: 'Syncing',
  deleting: 'Deleting',
} as const;

export type Reason = (typeof reasons)[keyof typeof reasons];

/** Reasons of the Events Capstan records on an Application (besides the condition reasons above). */
export const eventReasons = {
  syncStarted: 'SyncStarted',
  /** An approval named a plan that is not the plan any more: nothing applied. */
  approvalStale: 'ApprovalStale',
  synced: 'Synced',
  syncFailed: 'SyncFailed',
  pruned: 'Pruned',
  kept: 'Kept',
  driftCorrected: 'DriftCorrected',
  outOfSync: 'OutOfSync',
  sharedResource: 'SharedResource',
  refreshed: 'Refreshed',
  recovered: 'Recovered',
  deleting: 'Deleting',
  deleteFailed: 'DeleteFailed',
  /** spec.source.repoURL holds credentials: anyone who can read the Application can read them. */
  credentialsInURL: 'CredentialsInURL',
  /** spec.source.repoURL is read over plaintext (http://, git://): a man in the middle can change what is deployed. */
  insecureRepoURL: 'InsecureRepoURL',
  /** spec.interval is below the controller's --min-interval; Git is polled at the floor. */
  intervalRaised: 'IntervalRaised',
  /** Self-heal waits between corrections of an object another field manager keeps changing back (Ready is DriftFight meanwhile). */
  selfHealBackoff: 'SelfHealBackoff',
  postDeleteHookFailed: 'PostDeleteHookFailed',
  /** On the capstan-config ConfigMap: a key that is wrong, or that Capstan does not carry out. */
  invalidConfig: 'InvalidConfig',
  /** The number of orphaned resources in the destination namespace changed (the project warns of them). */
  orphanedResourceWarning: 'OrphanedResourceWarning',
  /** Present (True) while spec.promotion holds a revision back: which, and until when. */
  promotionPending: 'PromotionPending',
  /** A notification a trigger called for was delivered (on the Application). */
  notificationSent: 'NotificationSent',
  /** A notification could not be delivered (given up after its tries, refused, or dropped). */
  notificationFailed: 'NotificationFailed',
  /** A subscription annotation names a trigger or service capstan-config does not have, or is malformed. */
  invalidSubscription: 'InvalidNotificationSubscription',
} as const;

export type EventReason = (typeof eventReasons)[keyof typeof eventReasons] | Reason;

/**
 * Reasons whose message changes while the state goes on (the delay of a backoff): one Event per
 * Application and reason, whose count is bumped and whose message is the latest.
 */
export const aggregatedEventReasons: readonly EventReason[] = [eventReasons.selfHealBackoff];
