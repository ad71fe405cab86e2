import picomatch from 'picomatch';
import type { Logger } from 'pino';
import { eventReasons } from '../api/conditions.js';
import { isRecord } from '../api/object.js';
import { capstanTracking, type TrackingScheme } from '../api/tracking-scheme.js';
import { argoCdConfigMapName, readArgoCdConfig } from '../argocd/settings.js';
import { argoTrackingScheme } from '../argocd/tracking-scheme.js';
import { argoApiVersion, argoApplicationKind, argoAppProjectKind, argoGroup } from '../argocd/types.js';
import { ApplicationStore, type ApplicationSource } from '../cluster/applications.js';
import { ArgoApplicationStore } from '../cluster/argo-applications.js';
import type { EventRecorder } from '../cluster/events.js';
import type { KubeHttp } from '../cluster/http.js';
import type { ResourceClient } from '../cluster/resources.js';
import type { HealthCustomizations } from '../health/custom/customizations.js';
import { parseNotificationConfig } from '../notifications/config.js';
import type { AppFinalizers } from './deps.js';

/** What the controller reconciles, and how: Capstan's own Applications, or Argo CD's (--argocd-compat). */
export interface AppSourceSetup {
  readonly store: ApplicationSource;
  /** How managed objects are marked as an app's. */
  readonly tracking: TrackingScheme;
  /** The AppProjects read (default Capstan's). */
  readonly projectApiVersion?: string;
  /** The finalizers that delete an app's objects (default Capstan's, added to new apps). */
  readonly finalizers?: AppFinalizers;
  /** The interval of apps that set none, when the source's configuration says it (argocd-cm timeout.reconciliation). */
  readonly intervalMs?: number;
  /** Notification settings of the source's configuration (argocd-notifications-cm and its Secret), beneath capstan-config's. */
  readonly notifications?: { readonly data: Readonly<Record<string, string>>; readonly secretName: string };
  /** Health checks in Lua of the source's configuration (argocd-cm), beneath capstan-config's. */
  readonly health?: HealthCustomizations;
  /** Kinds apps may place in the controller's (protected) namespace: Argo CD's Applications and AppProjects, as in Argo CD's app of apps. */
  readonly ownNamespaceKinds?: readonly { readonly group: string; readonly kind: string }[];
}

/** Argo CD's finalizers: the plain and /foreground forms delete in the foreground, /background in the background; none is added. */
export const argoFinalizers: AppFinalizers = {
  names: new Map([
    ['resources-finalizer.argocd.argoproj.io', 'Foreground'],
    ['resources-finalizer.argocd.argoproj.io/foreground', 'Foreground'],
    ['resources-finalizer.argocd.argoproj.io/background', 'Background'],
  ]),
};

/** With timeout.reconciliation 0 (Argo CD then compares only on changes and refreshes), apps are still looked at daily. */
const reconciliationOffMs = 24 * 60 * 60 * 1000;

export interface AppSourceOptions {
  readonly http: KubeHttp;
  readonly resources: ResourceClient;
  /** The watched namespaces, the controller's first (with --argocd-compat, Argo CD's namespace). */
  readonly namespaces: readonly string[];
  readonly argocd: boolean;
  readonly events: EventRecorder;
  readonly logger: Logger;
}

const argoParamsConfigMapName = 'argocd-cmd-params-cm';

/**
 * Argo CD's "apps in any namespace": argocd-cmd-params-cm `application.namespaces`, a comma-separated
 * list of names, globs or /regular expressions/, matched against the namespaces that exist at start
 * (a matching namespace made later is watched after a restart, which the log says).
 */
async function appsInAnyNamespace(options: AppSourceOptions, namespace: string): Promise<string[]> {
  const configMap = await options.resources.get('v1', 'ConfigMap', namespace, argoParamsConfigMapName);
  const value = textData(configMap?.['data'])['application.namespaces'] ?? '';
  const patterns = value.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (patterns.length === 0) return [];
  const exact = patterns.filter((p) => !/[*?[\]{}]/.test(p) && !p.startsWith('/'));
  const matchers = patterns.filter((p) => !exact.includes(p)).map((p) => {
    if (p.length > 2 && p.startsWith('/') && p.endsWith('/')) {
      const re = new RegExp(p.slice(1, -1));
      return (ns: string): boolean => re.test(ns);
    }
    return picomatch(p);
  });
  let matched: string[] = [];
  if (matchers.length > 0) {
    try {
      const info = await options.resources.discovery.resolve('v1', 'Namespace');
      const all = info === undefined ? [] : (await options.resources.list(info, {})).items.map((n) => n.metadata.name ?? '');
      matched = all.filter((ns) => ns !== '' && matchers.some((m) => m(ns)));
    } catch (err) {
      options.logger.error({ err, patterns }, `cannot list namespaces to match ${argoParamsConfigMapName} application.namespaces: only the names it gives exactly are watched`);
    }
  }
  const namespaces = [...new Set([...exact, ...matched])].sort();
  options.logger.info({ patterns, namespaces }, `Applications in other namespaces (${argoParamsConfigMapName} application.namespaces); a matching namespace made later is watched after a restart`);
  return namespaces;
}

const argoNotificationsConfigMapName = 'argocd-notifications-cm';
const argoNotificationsSecretName = 'argocd-notifications-secret';

/** Argo CD's notification settings (triggers, templates, services, context), read at start; what Capstan cannot use is said. */
async function readArgoNotifications(options: AppSourceOptions, namespace: string): Promise<Record<string, string>> {
  const configMap = await options.resources.get('v1', 'ConfigMap', namespace, argoNotificationsConfigMapName);
  const data = textData(configMap?.['data']);
  const problems = parseNotificationConfig(data).problems;
  if (configMap !== undefined && problems.length > 0) {
    options.logger.warn({ configMap: `${namespace}/${argoNotificationsConfigMapName}`, problems }, `ConfigMap ${argoNotificationsConfigMapName} has keys Capstan cannot use`);
    void options.events.record(configMap, 'Warning', eventReasons.invalidConfig, problems.join('; '));
  }
  return data;
}

function textData(value: unknown): Record<string, string> {
  return isRecord(value) ? Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string')) : {};
}

export async function appSource(options: AppSourceOptions): Promise<AppSourceSetup> {
  const { http, resources, namespaces, logger } = options;
  if (!options.argocd) return { store: new ApplicationStore(http, resources, namespaces), tracking: capstanTracking };
  const namespace = namespaces[0] ?? 'argocd';
  const configMap = await resources.get('v1', 'ConfigMap', namespace, argoCdConfigMapName);
  const config = readArgoCdConfig(textData(configMap?.['data']));
  const problems = config.problems.map((p) => p.message);
  if (problems.length > 0) {
    logger.warn({ configMap: `${namespace}/${argoCdConfigMapName}`, problems }, `ConfigMap ${argoCdConfigMapName} has keys Capstan does not carry out`);
    if (configMap !== undefined) void options.events.record(configMap, 'Warning', eventReasons.invalidConfig, problems.join('; '));
  }
  const notifications = await readArgoNotifications(options, namespace);
  const timeout = config.settings.reconciliationTimeoutMs;
  logger.info({ tracking: config.settings.tracking.method, reconciliationMs: timeout, ignored: config.ignored.length }, `Argo CD's Applications reconciled (argocd-cm read from ${namespace})`);
  return {
    store: new ArgoApplicationStore(http, resources, [...new Set([...namespaces, ...await appsInAnyNamespace(options, namespace)])]),
    tracking: argoTrackingScheme({ ...config.settings.tracking, controlPlaneNamespace: namespace }),
    projectApiVersion: argoApiVersion,
    finalizers: argoFinalizers,
    intervalMs: timeout > 0 ? timeout : reconciliationOffMs,
    health: config.settings.health,
    notifications: { data: notifications, secretName: argoNotificationsSecretName },
    ownNamespaceKinds: [{ group: argoGroup, kind: argoApplicationKind }, { group: argoGroup, kind: argoAppProjectKind }],
  };
}
