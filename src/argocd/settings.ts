// Argo CD's argocd-cm, read into the settings Capstan acts on; every other key is reported.
import { parseHealthConfig } from '../health/custom/config-map.js';
import type { HealthCustomizations } from '../health/custom/customizations.js';
import { knownKeyFor } from './argocd-cm-keys.js';
import { parseArgoDuration } from './duration.js';
import { defaultInstanceLabelKey, defaultTrackingMethod, isTrackingMethod, trackingMethods, type TrackingSettings } from './tracking.js';

export const argoCdConfigMapName = 'argocd-cm';

/** Argo CD's application controller defaults (its --app-resync and --app-resync-jitter). */
export const defaultReconciliationTimeoutMs = 120_000;
export const defaultReconciliationJitterMs = 60_000;

export interface ArgoCdSettings {
  /**
   * `timeout.reconciliation`: how long after its last reconcile an app is compared with Git again
   * (default 120s). 0 turns periodic reconciliation off: an app is then reconciled only when it
   * or its objects change, or on a refresh. Whole seconds, as Argo CD keeps it.
   */
  readonly reconciliationTimeoutMs: number;
  /** `timeout.reconciliation.jitter`: up to this much is added at random to each period (default 60s; 0 adds none). */
  readonly reconciliationJitterMs: number;
  /** `application.resourceTrackingMethod`, `application.instanceLabelKey`, `installationID`. */
  readonly tracking: TrackingSettings;
  /** `resource.customizations.health.*`, `resource.customizations.useOpenLibs.*` and the older `resource.customizations`. */
  readonly health: HealthCustomizations;
}

/** One key of the ConfigMap and a sentence about it (the sentence starts with the key). */
export interface ConfigNote {
  readonly key: string;
  readonly message: string;
}

export interface ArgoCdConfig {
  readonly settings: ArgoCdSettings;
  /**
   * What may make an app behave otherwise than under Argo CD: values that are wrong (the
   * setting keeps Argo CD's default, as Argo CD does), keys Argo CD acts on and Capstan does
   * not, and keys Argo CD does not know. Sorted by key.
   */
  readonly problems: readonly ConfigNote[];
  /**
   * Keys Capstan does not act on with no bearing on what is applied: those of Argo CD's API
   * server, UI, SSO and accounts, keys Argo CD 3 no longer reads, and unsupported keys whose
   * value asks for what Capstan does anyway. Sorted by key.
   */
  readonly ignored: readonly ConfigNote[];
}

const timeoutKey = 'timeout.reconciliation';
const jitterKey = 'timeout.reconciliation.jitter';
const trackingMethodKey = 'application.resourceTrackingMethod';
const instanceLabelKeyKey = 'application.instanceLabelKey';
const installationIdKey = 'installationID';
const customizationsKey = 'resource.customizations';
const legacyInstanceLabelKey = 'applications.argoproj.io/app-name';

/**
 * Reads argocd-cm's data as Argo CD 3 does, for the settings Capstan acts on, and reports every
 * other key: in `problems` when it may change how an app behaves, in `ignored` when it cannot.
 */
export function readArgoCdConfig(data: Readonly<Record<string, string>>): ArgoCdConfig {
  const problems: ConfigNote[] = [];
  const ignored: ConfigNote[] = [];
  const problem = (key: string, message: string): void => void problems.push({ key, message: `${key}: ${message}` });

  const reconciliationTimeoutMs = readTimeout(data, timeoutKey, defaultReconciliationTimeoutMs, 'turns periodic reconciliation off', problem);
  const reconciliationJitterMs = readTimeout(data, jitterKey, defaultReconciliationJitterMs, 'adds no jitter', problem);
  const tracking = readTracking(data, problem);
  const health = parseHealthConfig(data, argoCdConfigMapName);
  for (const message of health.problems) {
    const key = keyOfMessage(message);
    if (key.startsWith(`${customizationsKey}.ignoreResourceUpdates.`)) {
      ignored.push({ key, message: `${key}: only spares Argo CD refreshes on resource updates; Capstan does not use it` });
    } else {
      problems.push({ key, message });
    }
  }

  const handled = new Set([timeoutKey, jitterKey, trackingMethodKey, instanceLabelKeyKey, installationIdKey, customizationsKey]);
  for (const [key, value] of Object.entries(data)) {
    if (handled.has(key) || key.startsWith(`${customizationsKey}.`)) continue;
    const known = knownKeyFor(key);
    if (known === undefined) {
      problem(key, 'not a key Argo CD 3 reads; it has no effect');
    } else if (known.treatment === 'notForController') {
      ignored.push({ key, message: `${key}: ${known.why}` });
    } else if (known.harmless?.(value, data) === true) {
      ignored.push({ key, message: `${key}: Capstan does not read it; its value ${JSON.stringify(value)} asks for what Argo CD does by default, as Capstan does` });
    } else {
      problem(key, known.why);
    }
  }

  const byKey = (a: ConfigNote, b: ConfigNote): number => a.key.localeCompare(b.key);
  return {
    settings: { reconciliationTimeoutMs, reconciliationJitterMs, tracking, health: health.customizations },
    problems: problems.sort(byKey),
    ignored: ignored.sort(byKey),
  };
}

type Report = (key: string, message: string) => void;

/** A `timeout.*` key: unset or '' is the default; a wrong or negative value is reported and the default used, as Argo CD does. */
function readTimeout(data: Readonly<Record<string, string>>, key: string, defaultMs: number, zeroMeans: string, problem: Report): number {
  const value = data[key] ?? '';
  if (value === '') return defaultMs;
  const defaultText = `${defaultMs / 1000}s`;
  const parsed = parseArgoDuration(value);
  if (!parsed.ok) {
    problem(key, parsed.problem === 'negative'
      ? `${JSON.stringify(value)} is negative; Argo CD uses its default ${defaultText} then, and so does Capstan`
      : `${JSON.stringify(value)} is not a duration (such as 180s, 3m, 1h30m or 1d); Argo CD uses its default ${defaultText} then, and so does Capstan`);
    return defaultMs;
  }
  if (parsed.truncated) {
    problem(key, `${JSON.stringify(value)} is cut to whole seconds (${parsed.seconds}s), as Argo CD does` +
      (parsed.seconds === 0 ? `; 0s ${zeroMeans}` : ''));
  }
  return parsed.seconds * 1000;
}

function readTracking(data: Readonly<Record<string, string>>, problem: Report): TrackingSettings {
  const methodValue = data[trackingMethodKey] ?? '';
  let method = defaultTrackingMethod;
  if (isTrackingMethod(methodValue)) method = methodValue;
  else if (methodValue !== '') {
    problem(trackingMethodKey, `${JSON.stringify(methodValue)} is not a tracking method (${trackingMethods.join(', ')}); ` +
      `Argo CD tracks by ${defaultTrackingMethod} then, and so does Capstan`);
  }
  const labelKey = data[instanceLabelKeyKey] ?? '';
  const instanceLabelKey = labelKey === '' ? defaultInstanceLabelKey : labelKey;
  if (!isLabelKey(instanceLabelKey)) {
    problem(instanceLabelKeyKey, `${JSON.stringify(instanceLabelKey)} is not a valid label key, so no object can carry it`);
  } else if (instanceLabelKey === legacyInstanceLabelKey && method !== 'annotation') {
    problem(instanceLabelKeyKey, `Argo CD also sets the legacy label ${legacyInstanceLabelKey} on the pod templates of ` +
      'Deployments, ReplicaSets, StatefulSets, DaemonSets and Jobs; Capstan sets it on the objects only');
  }
  return { method, instanceLabelKey, installationId: data[installationIdKey] ?? '' };
}

const labelName = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A Kubernetes label key: `[prefix/]name`, the prefix a DNS subdomain (≤ 253), the name ≤ 63. */
function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !dnsSubdomain.test(prefix))) return false;
  return name.length <= 63 && labelName.test(name);
}

/** The key a problem of parseHealthConfig is about: its text before the first ': '. */
function keyOfMessage(message: string): string {
  const colon = message.indexOf(': ');
  return colon < 0 ? customizationsKey : message.slice(0, colon);
}
