import { adoptedAnnotation, parseOptionList, resourceAnnotation } from '../api/annotations.js';
import { appOptionValues, compareOptionValues, resourceOptionValues, unsupportedOptions as unsupported } from '../api/sync-options.js';
import type { Application } from '../api/application.js';
import type { KubeObject } from '../api/object.js';

/** Options a resource sets with `capstan.dev/sync-options` (or `argocd.argoproj.io/sync-options`). */
export interface ResourceSyncOptions {
  prune: boolean;
  delete: boolean;
  /** Prune=confirm: pruned only once someone confirms it (capstan app confirm-prune). */
  pruneConfirm: boolean;
  /** Delete=confirm: deleted with the app only once someone confirms it. */
  deleteConfirm: boolean;
  pruneLast: boolean;
  replace: boolean;
  force: boolean;
  skipDryRunOnMissingResource: boolean;
}

/**
 * Prune=false and Delete=false turn pruning and deletion off; `confirm` (Argo CD's "only after
 * confirmation") keeps them on, held until someone approves (capstan.dev/deletion-approved).
 * The other options are on only with `=true`; values are case-insensitive.
 */
export function resourceSyncOptions(obj: KubeObject): ResourceSyncOptions {
  const options = parseOptionList(resourceAnnotation(obj.metadata.annotations, 'syncOptions'));
  // An object Capstan adopted rather than created is never pruned or deleted (as Prune=false, Delete=false).
  const adopted = isAdopted(obj);
  return {
    prune: !adopted && !isOneOf(options.get('Prune'), ['false']),
    delete: !adopted && !isOneOf(options.get('Delete'), ['false']),
    pruneConfirm: isOneOf(options.get('Prune'), ['confirm']),
    deleteConfirm: isOneOf(options.get('Delete'), ['confirm']),
    pruneLast: isOneOf(options.get('PruneLast'), ['true']),
    replace: isOneOf(options.get('Replace'), ['true']),
    force: isOneOf(options.get('Force'), ['true']),
    skipDryRunOnMissingResource: isOneOf(options.get('SkipDryRunOnMissingResource'), ['true']),
  };
}

/** Validate=false on the object or the app: the API server drops unknown fields instead of refusing them. */
export function validates(app: Application, obj: KubeObject): boolean {
  const own = parseOptionList(resourceAnnotation(obj.metadata.annotations, 'syncOptions')).get('Validate');
  return !isOneOf(own, ['false']) && !isOneOf(appOptionMap(app).get('Validate'), ['false']);
}

/** Whether Capstan adopted the object (it existed before Capstan applied it) rather than created it. */
export function isAdopted(obj: KubeObject): boolean {
  return obj.metadata.annotations?.[adoptedAnnotation] === 'true';
}

/** What is wrong with an object's sync-options and compare-options annotations; empty when nothing. */
export function unsupportedResourceOptions(obj: KubeObject): string[] {
  return [
    ...unsupported(parseOptionList(resourceAnnotation(obj.metadata.annotations, 'syncOptions')), resourceOptionValues, 'sync option'),
    ...unsupported(parseOptionList(resourceAnnotation(obj.metadata.annotations, 'compareOptions')), compareOptionValues, 'compare option'),
  ];
}

/** `IgnoreExtraneous`: an object Git no longer declares does not make the app OutOfSync. */
export function ignoresExtraneous(obj: KubeObject): boolean {
  return isOneOf(parseOptionList(resourceAnnotation(obj.metadata.annotations, 'compareOptions')).get('IgnoreExtraneous'), ['true']);
}

export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';

/** Options of a whole Application, from spec.syncPolicy.syncOptions (["CreateNamespace=true", ...]). */
export interface AppSyncOptions {
  createNamespace: boolean;
  pruneLast: boolean;
  applyOutOfSyncOnly: boolean;
  replace: boolean;
  failOnSharedResource: boolean;
  prunePropagationPolicy: PropagationPolicy;
  /** RespectIgnoreDifferences=true: a sync leaves the fields ignoreDifferences ignores at their live values (diff/respect-ignored.ts). */
  respectIgnoreDifferences: boolean;
}

function appOptionMap(app: Application): Map<string, string> {
  const options = new Map<string, string>();
  for (const entry of app.spec.syncPolicy?.syncOptions ?? []) {
    for (const [key, value] of parseOptionList(entry)) options.set(key, value);
  }
  return options;
}

/**
 * ApplyOutOfSyncOnly is on unless set to false: Capstan's steady state makes no API writes, so
 * objects the diff found in sync are not re-applied. Prunes propagate in the foreground unless
 * PrunePropagationPolicy says otherwise (Argo CD's default). The others are on only with `=true`.
 * Later entries win.
 */
export function appSyncOptions(app: Application): AppSyncOptions {
  const options = appOptionMap(app);
  const policy = options.get('PrunePropagationPolicy')?.toLowerCase();
  return {
    createNamespace: isOneOf(options.get('CreateNamespace'), ['true']),
    pruneLast: isOneOf(options.get('PruneLast'), ['true']),
    applyOutOfSyncOnly: !isOneOf(options.get('ApplyOutOfSyncOnly'), ['false']),
    replace: isOneOf(options.get('Replace'), ['true']),
    failOnSharedResource: isOneOf(options.get('FailOnSharedResource'), ['true']),
    prunePropagationPolicy: policy === 'background' ? 'Background' : policy === 'orphan' ? 'Orphan' : 'Foreground',
    respectIgnoreDifferences: isOneOf(options.get('RespectIgnoreDifferences'), ['true']),
  };
}

/** What is wrong with spec.syncPolicy.syncOptions; empty when nothing. */
export function unsupportedAppSyncOptions(app: Application): string[] {
  return unsupported(appOptionMap(app), appOptionValues, 'sync option');
}

/** The sync wave of an object: an integer annotation, 0 when absent or not an integer. */
export function syncWave(obj: KubeObject): number {
  const value = resourceAnnotation(obj.metadata.annotations, 'syncWave')?.trim();
  if (value === undefined || !/^[+-]?[0-9]+$/.test(value)) return 0;
  const wave = Number(value);
  return Number.isSafeInteger(wave) ? wave : 0;
}

export const hookTypeValues = ['PreSync', 'Sync', 'PostSync', 'SyncFail', 'Skip'] as const;
export type HookType = (typeof hookTypeValues)[number];

export function isHookType(value: string): value is HookType {
  return (hookTypeValues as readonly string[]).includes(value);
}

/** The hook types of an object's comma-separated hook annotation, in order, without duplicates or unknown names; none → []. */
export function hookTypes(obj: KubeObject): HookType[] {
  const value = resourceAnnotation(obj.metadata.annotations, 'hook');
  if (value === undefined) return [];
  const types = value
    .split(',')
    .map((part) => part.trim())
    .filter(isHookType);
  return [...new Set(types)];
}

function isOneOf(value: string | undefined, accepted: readonly string[]): boolean {
  return value !== undefined && accepted.includes(value.toLowerCase());
}
