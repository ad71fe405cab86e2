/** Labels and annotations of DESIGN.md §1.2 and §1.3. Argo CD spellings are honoured too. */

import { createHash } from 'node:crypto';

export const managedByLabel = 'app.capstan.dev/managed-by';
export const managedByValue = 'capstan';
export const trackingIdAnnotation = 'capstan.dev/tracking-id';
/**
 * On an object that existed, untracked, before Capstan first applied it (made by hand, by Helm,
 * by kubeadm): Capstan manages it but never prunes or deletes it, since it did not create it.
 * Removing the annotation makes it an ordinary managed object.
 */
export const adoptedAnnotation = 'capstan.dev/adopted';
export const fieldManager = 'capstan';
export const finalizerName = 'capstan.dev/resources-finalizer';

/** On an Application. */
export const appAnnotations = {
  refresh: 'capstan.dev/refresh',
  sync: 'capstan.dev/sync',
  syncRevision: 'capstan.dev/sync-revision',
  skipReconcile: 'capstan.dev/skip-reconcile',
  terminateOperation: 'capstan.dev/terminate-operation',
  /** The hash of the plan (status.plan.hash) approved: that plan is applied if it is still the plan. */
  approve: 'capstan.dev/approve',
} as const;

/** On an Application: Argo CD's spelling of `capstan.dev/refresh` (normal or hard), handled the same way. */
export const argoRefreshAnnotation = 'argocd.argoproj.io/refresh';

/** On an Application: `;`-separated paths; a commit that changes none of them reuses the last render (Argo CD's spelling too). */
export const manifestGeneratePathsAnnotations = ['capstan.dev/manifest-generate-paths', 'argocd.argoproj.io/manifest-generate-paths'] as const;

/**
 * On an Application: a time (RFC 3339) that approves the prunes (Prune=confirm) of syncs started
 * before it and the deletion (Delete=confirm) of an app deleted before it. Argo CD's spelling too.
 */
export const deletionApprovedAnnotations = ['capstan.dev/deletion-approved', 'argocd.argoproj.io/deletion-approved'] as const;

/** Whether the app's deletion-approved annotation approves what was asked at `askedAt` (an ISO time). */
export function isDeletionApproved(annotations: Record<string, string> | undefined, askedAt: string | undefined): boolean {
  const asked = askedAt === undefined ? NaN : Date.parse(askedAt);
  return deletionApprovedAnnotations.some((key) => {
    const value = annotations?.[key];
    if (value === undefined) return false;
    const approved = Date.parse(value);
    // Kubernetes times have whole seconds: an approval in the same second counts.
    return !Number.isNaN(approved) && !Number.isNaN(asked) && approved >= Math.floor(asked / 1000) * 1000;
  });
}

/** On a hook a sync created: `<syncId>/<phase>`, so that a resumed sync recognises its own hooks. */
export const syncIdAnnotation = 'capstan.dev/sync-id';

/** A sync token longer than this is recorded by a hash of itself. */
export const maxRecordedSyncTokenLength = 64;

/**
 * How a `capstan.dev/sync` token is recorded in status (operationState.syncToken, history): as
 * it is when short, else `sha256:` and a prefix of its hash, so an annotation of any size costs
 * a few bytes of status. Whether a token was handled is decided by comparing recorded forms.
 */
export function recordedSyncToken(token: string): string {
  if (token.length <= maxRecordedSyncTokenLength) return token;
  return `sha256:${createHash('sha256').update(token).digest('hex').slice(0, 32)}`;
}

/** On a managed resource: [capstan spelling, Argo CD spelling]. */
export const resourceAnnotations = {
  syncWave: ['capstan.dev/sync-wave', 'argocd.argoproj.io/sync-wave'],
  hook: ['capstan.dev/hook', 'argocd.argoproj.io/hook'],
  hookDeletePolicy: ['capstan.dev/hook-delete-policy', 'argocd.argoproj.io/hook-delete-policy'],
  syncOptions: ['capstan.dev/sync-options', 'argocd.argoproj.io/sync-options'],
  compareOptions: ['capstan.dev/compare-options', 'argocd.argoproj.io/compare-options'],
} as const;

export type ResourceAnnotation = keyof typeof resourceAnnotations;

/** The value of a resource annotation under either spelling (Capstan's wins). */
export function resourceAnnotation(annotations: Record<string, string> | undefined, which: ResourceAnnotation): string | undefined {
  if (annotations === undefined) return undefined;
  for (const key of resourceAnnotations[which]) {
    const value = annotations[key];
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Parses 'Prune=false,ServerSideApply=true' (commas or semicolons) into a map. */
export function parseOptionList(value: string | undefined): Map<string, string> {
  const options = new Map<string, string>();
  if (value === undefined) return options;
  for (const part of value.split(/[,;]/)) {
    const [k, v] = part.split('=', 2);
    const key = k?.trim();
    if (key !== undefined && key !== '') options.set(key, (v ?? 'true').trim());
  }
  return options;
}
