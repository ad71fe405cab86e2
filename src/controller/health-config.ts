import type { Logger } from 'pino';
import { eventReasons } from '../api/conditions.js';
import { isRecord, type KubeObject } from '../api/object.js';
import type { Discovery } from '../cluster/discovery.js';
import type { EventRecorder } from '../cluster/events.js';
import type { KubeHttp } from '../cluster/http.js';
import { Informer } from '../cluster/informer.js';
import type { ResourceClient } from '../cluster/resources.js';
import type { CustomHealthChecks } from '../health/custom/checks.js';
import { capstanConfigName, parseHealthConfig } from '../health/custom/config-map.js';
import { HealthCustomizations } from '../health/custom/customizations.js';
import type { NotificationSettings } from '../notifications/settings.js';
import type { PluginConfig } from './plugin-config.js';

export interface HealthConfigWatchOptions {
  readonly http: KubeHttp;
  readonly discovery: Discovery;
  readonly resources: ResourceClient;
  readonly events: EventRecorder;
  readonly checks: CustomHealthChecks;
  /** The controller's namespace: where capstan-config is. */
  readonly namespace: string;
  readonly logger: Logger;
  /** Called after the scripts changed (to reassess every app's health at once). */
  readonly onChange: () => void;
  /** How long start() waits for the first read before going on with the built-in rules (default 10 s). */
  readonly syncTimeoutMs?: number;
  /** Given the ConfigMap's `plugins.<name>` keys (config management plugins) at every change. */
  readonly plugins?: PluginConfig;
  /** Health checks of another ConfigMap (argocd-cm, read at start), used where capstan-config has none for a kind. */
  readonly fallback?: HealthCustomizations;
  /** Given the ConfigMap's data (triggers, templates, services, context) at every change. */
  readonly notifications?: NotificationSettings;
}

/**
 * Watches the ConfigMap capstan-config in the controller's namespace and hands its health
 * scripts to the health checks whenever it changes (no restart). Wrong keys, and keys Capstan
 * does not carry out, are logged and recorded as a Warning Event on the ConfigMap; the valid
 * scripts are used all the same. No ConfigMap (or one deleted) means the built-in rules only.
 */
export class HealthConfigWatch {
  private informer: Informer | undefined;
  private lastVersion: string | undefined;

  constructor(private readonly options: HealthConfigWatchOptions) {}

  /** Starts the watch and waits (bounded) for its first list, so that the first reconciles use the scripts. */
  async start(): Promise<void> {
    const { discovery, http, resources, namespace, logger } = this.options;
    // Until capstan-config is read (and without one), the other ConfigMap's checks apply.
    if (this.options.fallback !== undefined) this.options.checks.use(this.options.fallback);
    const info = await discovery.resolve('v1', 'ConfigMap');
    if (info === undefined) return;
    const informer = new Informer(http, resources, info, {
      namespace, fieldSelector: `metadata.name=${capstanConfigName}`,
      onError: (err) => { logger.warn({ err, configMap: `${namespace}/${capstanConfigName}` }, 'watch of the health configuration failed; retrying'); },
    });
    this.informer = informer;
    informer.onChange((type, obj) => {
      this.apply(type === 'DELETED' ? undefined : obj);
    });
    informer.start();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.options.syncTimeoutMs ?? 10_000);
    });
    try {
      await Promise.race([informer.synced, timeout]);
    } catch (err) {
      logger.warn({ err }, `cannot read ConfigMap ${capstanConfigName}: health uses the built-in rules only`);
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    await this.informer?.stop();
  }

  private apply(configMap: KubeObject | undefined): void {
    const { checks, logger, events } = this.options;
    if (configMap === undefined) {
      checks.use(this.options.fallback ?? HealthCustomizations.none);
      this.options.plugins?.clear();
      this.options.notifications?.clear();
      this.lastVersion = undefined;
      logger.info(`ConfigMap ${capstanConfigName} deleted: health uses the built-in rules only`);
      this.options.onChange();
      return;
    }
    if (configMap.metadata.resourceVersion !== undefined && configMap.metadata.resourceVersion === this.lastVersion) return;
    this.lastVersion = configMap.metadata.resourceVersion;
    const data = dataOf(configMap);
    const parsed = parseHealthConfig(data);
    checks.use(this.options.fallback === undefined ? parsed.customizations : parsed.customizations.over(this.options.fallback));
    const problems = [...parsed.problems, ...(this.options.plugins?.read(data) ?? []), ...(this.options.notifications?.read(data) ?? [])];
    const notifications = this.options.notifications?.parsed.config;
    logger.info({
      healthScripts: parsed.customizations.size, plugins: this.options.plugins?.plugins.names, problems: problems.length,
      ...(notifications === undefined ? {} : { notificationServices: [...notifications.services.keys()], notificationTriggers: notifications.triggers.size }),
    }, `configuration read from ConfigMap ${capstanConfigName}`);
    if (problems.length > 0) {
      logger.warn({ problems }, `ConfigMap ${capstanConfigName} has keys Capstan cannot use`);
      void events.record(configMap, 'Warning', eventReasons.invalidConfig, problems.join('; '));
    }
    this.options.onChange();
  }
}

function dataOf(configMap: KubeObject): Record<string, string> {
  const data = configMap['data'];
  if (!isRecord(data)) return {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) if (typeof value === 'string') out[key] = value;
  return out;
}
