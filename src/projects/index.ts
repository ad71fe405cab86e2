export * from './types.js';
export { implicitDefaultProject, findProject } from './default-project.js';
export { sourcePermitted } from './source-rules.js';
export { destinationPermitted, describeDestination, type DestinationRef } from './destination-rules.js';
export { approvalRuleFor, approvalSelfHeals } from './approval-rules.js';
export { resourcePermitted, type ResourceRef, type ClusterRef } from './resource-rules.js';
export { appNamespacePermitted } from './app-namespace-rules.js';
export { syncWindowState, describeWindow, windowOpen, type SyncWindowState, type WindowedApp } from './sync-windows.js';
export { validateProject } from './validate.js';
export { serviceAccountFor, type ImpersonationTarget } from './service-account.js';
export {
  orphanedResourcesMode, orphanIgnored, orphanKindExcluded, orphanedObjects, namespaceObjectKey, type OrphanCandidate, type NamespaceObject, type OrphanContext,
} from './orphaned.js';
export { normalizeRepoUrl } from './repo-url.js';
