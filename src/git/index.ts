/** The repository cache: what the rest of Capstan imports from git/. */
export { RepoCache, repoCacheDefaults } from './repo-cache.js';
export { normalizeRepoUrl, redactUrl } from './url.js';
export type {
  CheckedOut,
  GitFailure,
  GitFailureCode,
  GitLogger,
  GitRequestKind,
  RepoCacheOptions,
  RepoCachePort,
  Resolved,
  ResolveOptions,
} from './types.js';
export { gitFailureCodes, gitRequestKinds, isFullSha, isShortSha } from './types.js';
