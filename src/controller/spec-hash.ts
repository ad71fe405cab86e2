import { isMultiSource, primarySource, type Application } from '../api/application.js';
import { objectHash } from './diff-cache.js';

/**
 * Hash of the spec fields that decide what a sync applies: the source (repository, path,
 * directory options; the revision is recorded as the commit), the destination and the sync
 * options. A change of any of them at an already-synced commit is a new sync.
 */
export function specHash(app: Application): string {
  const { repoURL, path, directory, kustomize, helm, chart } = primarySource(app.spec);
  return objectHash({
    repoURL, path: path ?? '.', directory: directory ?? {},
    // Absent when unset, as below: the render options decide what is applied as much as the path does.
    ...(kustomize !== undefined ? { kustomize } : {}), ...(helm !== undefined ? { helm } : {}), ...(chart !== undefined ? { chart } : {}),
    ...(isMultiSource(app.spec) ? { sources: app.spec.sources } : {}),
    destination: app.spec.destination, syncOptions: app.spec.syncPolicy?.syncOptions ?? [],
    // Absent (not {}) when unset, so that hashes recorded before it existed stay the same.
    ...(app.spec.syncPolicy?.managedNamespaceMetadata !== undefined ? { managedNamespaceMetadata: app.spec.syncPolicy.managedNamespaceMetadata } : {}),
  }).slice(0, 16);
}
