/**
 * An Argo CD Application (`argoproj.io/v1alpha1`) → Capstan's Application. Pure.
 *
 * Fields with the same meaning are copied; Argo CD's zero values (`omitempty`) are dropped; what
 * Argo CD itself ignores is dropped as Argo CD ignores it (spec.source when spec.sources is set,
 * `ref` in spec.source, managedNamespaceMetadata without CreateNamespace=true, automated with
 * `enabled: false`); every field Capstan does not carry out is named in `unsupported` with why
 * (the converted app then fails Capstan's validateSpec on it, or the field is left out).
 *
 * The result keeps the Argo CD object's metadata as it is (namespace, name, uid, resourceVersion,
 * generation, labels, annotations, finalizers) and its top-level `operation` (Capstan reads the
 * same field, src/api/operation.ts); its apiVersion and kind are Capstan's. Its status is the
 * Argo CD status read back (status-resume.ts).
 */
import { applicationApiVersion, applicationKind, type Application, type ApplicationSpec, type SyncPolicy } from '../api/application.js';
import { parseOptionList } from '../api/annotations.js';
import { appOptionValues, unsupportedOptions } from '../api/sync-options.js';
import { toCapstanSource } from './source.js';
import { fromArgoStatus } from './status-resume.js';
import type { ArgoApplication, ArgoApplicationSpec, ArgoSyncPolicy } from './types.js';
import { isSet, UnsupportedFields, type Unsupported } from './unsupported.js';

export interface ConvertedApplication {
  readonly app: Application;
  /** Argo CD fields Capstan does not carry out; empty when the app converts as it is. */
  readonly unsupported: readonly Unsupported[];
}

function optionsOf(syncOptions: readonly string[] | undefined): Map<string, string> {
  const options = new Map<string, string>();
  for (const entry of syncOptions ?? []) for (const [k, v] of parseOptionList(entry)) options.set(k, v);
  return options;
}

function syncPolicyOf(policy: ArgoSyncPolicy, unsupported: UnsupportedFields): SyncPolicy {
  const at = 'spec.syncPolicy';
  const options = optionsOf(policy.syncOptions);
  for (const problem of unsupportedOptions(options, appOptionValues, 'sync option')) unsupported.add(`${at}.syncOptions`, problem);
  const automated = policy.automated;
  const retry = policy.retry;
  unsupported.ifSet(retry?.refresh, `${at}.retry.refresh`, 'refreshing the app before each retry is not supported');
  const createsNamespace = options.get('CreateNamespace')?.toLowerCase() === 'true';
  const metadata = policy.managedNamespaceMetadata;
  return {
    // `enabled: false` turns automated sync off while keeping its settings.
    ...(automated !== undefined && automated.enabled !== false
      ? { automated: { ...(automated.prune !== undefined ? { prune: automated.prune } : {}), ...(automated.selfHeal !== undefined ? { selfHeal: automated.selfHeal } : {}), ...(automated.allowEmpty !== undefined ? { allowEmpty: automated.allowEmpty } : {}) } }
      : {}),
    ...(isSet(policy.syncOptions) ? { syncOptions: [...(policy.syncOptions ?? [])] } : {}),
    ...(retry !== undefined
      ? { retry: { ...(retry.limit !== undefined ? { limit: retry.limit } : {}), ...(retry.backoff !== undefined ? { backoff: { ...retry.backoff } } : {}) } }
      : {}),
    // Argo CD manages the namespace's metadata only with CreateNamespace=true, and ignores it otherwise.
    ...(metadata !== undefined && createsNamespace ? { managedNamespaceMetadata: { ...metadata } } : {}),
  };
}

function specOf(spec: ArgoApplicationSpec, unsupported: UnsupportedFields): ApplicationSpec {
  unsupported.ifSet(spec.info, 'spec.info', 'informational links are not supported');
  unsupported.ifSet(spec.sourceHydrator, 'spec.sourceHydrator', 'source hydration (pushing rendered manifests to Git) is not supported');
  const multi = spec.sources !== undefined && spec.sources.length > 0;
  return {
    ...(isSet(spec.project) ? { project: spec.project } : {}),
    // With spec.sources set, Argo CD ignores spec.source.
    ...(multi
      ? { sources: (spec.sources ?? []).map((s, i) => toCapstanSource(s, { at: `spec.sources[${i}]`, inSources: true }, unsupported)) }
      : spec.source !== undefined ? { source: toCapstanSource(spec.source, { at: 'spec.source', inSources: false }, unsupported) } : {}),
    destination: { ...spec.destination },
    ...(spec.syncPolicy !== undefined ? { syncPolicy: syncPolicyOf(spec.syncPolicy, unsupported) } : {}),
    ...(isSet(spec.ignoreDifferences) ? { ignoreDifferences: (spec.ignoreDifferences ?? []).map((d) => ({ ...d })) } : {}),
    // 0 is a value here (keep no history), so only absence is dropped.
    ...(spec.revisionHistoryLimit !== undefined ? { revisionHistoryLimit: spec.revisionHistoryLimit } : {}),
  };
}

/** The Capstan Application an Argo CD Application stands for, and the Argo CD fields Capstan does not carry out. */
export function toCapstanApplication(argo: ArgoApplication): ConvertedApplication {
  const unsupported = new UnsupportedFields();
  const spec = specOf(argo.spec, unsupported);
  const app: Application = {
    apiVersion: applicationApiVersion,
    kind: applicationKind,
    metadata: { ...argo.metadata },
    spec,
    ...(argo.status !== undefined ? { status: fromArgoStatus(argo.status, argo.spec) } : {}),
    ...(argo.operation !== undefined ? { operation: argo.operation } : {}),
  };
  return { app, unsupported: unsupported.list };
}
