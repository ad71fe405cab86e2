import type { Logger } from 'pino';
import { parseAppKey } from '../api/tracking.js';
import type { ApplicationSource } from '../cluster/applications.js';
import type { ResourceClient } from '../cluster/resources.js';
import { secretDataReader } from '../cluster/secret-data.js';
import { notificationsSecretName } from '../notifications/config-values.js';
import { DeliveryQueue } from '../notifications/delivery-queue.js';
import { Notifier, type NotificationEvents, type NotificationMetrics } from '../notifications/notifier.js';
import { notifiedAnnotation } from '../notifications/record.js';
import { NotificationSettings } from '../notifications/settings.js';
import type { ProjectStore } from '../projects/project-store.js';
import { projectNameOf } from './project-source.js';

export interface ControllerNotifications {
  /** Read from capstan-config by its watch. */
  readonly settings: NotificationSettings;
  readonly notifier: Notifier;
  readonly deliveries: DeliveryQueue;
}

export interface ControllerNotificationsOptions {
  readonly store: ApplicationSource;
  readonly projects: ProjectStore;
  readonly resources: ResourceClient;
  /** The controller's namespace: where Secret capstan-notifications-secret is. */
  readonly namespace: string;
  readonly events: NotificationEvents;
  readonly metrics: NotificationMetrics;
  readonly logger: Logger;
  /** False once the controller lost its lease: nothing more is sent. */
  readonly writeGate?: () => boolean;
  /** Another configuration beneath capstan-config's (Argo CD's argocd-notifications-cm, and its Secret beneath capstan-notifications-secret). */
  readonly base?: { readonly data: Readonly<Record<string, string>>; readonly secretName: string };
}

/** The notifications engine over the controller's Application and project stores. */
export function controllerNotifications(options: ControllerNotificationsOptions): ControllerNotifications {
  const { store, projects } = options;
  const settings = new NotificationSettings(options.base?.data);
  const own = secretDataReader(options.resources, options.namespace, notificationsSecretName);
  const baseSecret = options.base === undefined ? undefined : secretDataReader(options.resources, options.namespace, options.base.secretName);
  const secrets = baseSecret === undefined ? own : async (): Promise<Readonly<Record<string, string>>> => {
    const [below, above] = await Promise.all([baseSecret(), own()]);
    return { ...below, ...above };
  };
  const deliveries = new DeliveryQueue(options.writeGate === undefined ? {} : { canSend: options.writeGate });
  const notifier = new Notifier({
    settings, queue: deliveries, events: options.events, metrics: options.metrics, logger: options.logger,
    project: (app) => {
      const name = projectNameOf(app);
      const project = projects.get(name);
      return project === undefined ? undefined : { name, ...(project.metadata.annotations === undefined ? {} : { annotations: project.metadata.annotations }) };
    },
    secrets,
    current: (key) => {
      const parsed = parseAppKey(key);
      return parsed === undefined ? undefined : store.get(parsed.namespace, parsed.name);
    },
    writeRecord: async (app, value) => {
      await store.annotate(app, notifiedAnnotation, value);
    },
  });
  // New triggers, templates or services apply to every app now, not at its next change.
  settings.onChange(() => {
    for (const app of store.list()) notifier.observe(app);
  });
  // So do a project's subscriptions.
  projects.onChange((name) => {
    for (const app of store.list()) if (projectNameOf(app) === name) notifier.observe(app);
  });
  return { settings, notifier, deliveries };
}
