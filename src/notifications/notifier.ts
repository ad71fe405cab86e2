/**
 * The notifications engine of the controller. Every change of an Application the watch cache sees
 * (its status written after a reconcile, an annotation) is evaluated against the triggers of its
 * subscriptions and its project's; what is due goes to the delivery queue, never in the way of a
 * reconcile. What was delivered (or given up) is recorded on the Application (record.ts), so that
 * each outcome is told once, also across restarts; a delivery cut short by a restart is sent again.
 */

import type { Logger } from 'pino';
import type { Application } from '../api/application.js';
import { eventReasons, type EventReason } from '../api/conditions.js';
import { appKeyOf, formatAppKey } from '../api/tracking.js';
import type { DeliveryQueue, DeliveryResult } from './delivery-queue.js';
import { evaluateNotifications, type DueNotification } from './evaluate.js';
import { buildRequest, type Notification } from './payloads.js';
import { formatNotifiedRecord, notifiedAnnotation, parseNotifiedRecord } from './record.js';
import type { NotificationSettings } from './settings.js';
import { checkSubscriptions, mergeSubscriptions, parseSubscriptions } from './subscriptions.js';
import type { Template } from './types.js';

export type DeliveryMetricResult = 'delivered' | 'failed' | 'dropped';

export interface NotificationMetrics {
  delivery(trigger: string, service: string, result: DeliveryMetricResult): void;
  retry(service: string): void;
}

export interface NotificationEvents {
  record(app: Application, type: 'Normal' | 'Warning', reason: EventReason, message: string): void;
}

export interface NotifierOptions {
  readonly settings: NotificationSettings;
  readonly queue: DeliveryQueue;
  /** The app's project's name and annotations (its subscriptions), when it has a project. */
  readonly project: (app: Application) => { readonly name: string; readonly annotations?: Readonly<Record<string, string>> } | undefined;
  /** The values of Secret capstan-notifications-secret (empty when there is none). */
  readonly secrets: () => Promise<Readonly<Record<string, string>>>;
  /** The app as the watch cache holds it now, by `namespace/name`. */
  readonly current: (key: string) => Application | undefined;
  /** Sets the app's notified annotation to the value, or removes it (undefined). */
  readonly writeRecord: (app: Application, value: string | undefined) => Promise<void>;
  readonly events: NotificationEvents;
  readonly metrics?: NotificationMetrics;
  readonly logger: Logger;
}

interface RecordWrite {
  again: boolean;
}

export class Notifier {
  /** By app key: slot → outcome delivered (or given up). */
  private readonly records = new Map<string, Map<string, string>>();
  /** `<app key>\n<slot>\n<outcome>` of deliveries under way. */
  private readonly delivering = new Set<string>();
  /** By app key: the subscription problems last said in an Event. */
  private readonly problemsSaid = new Map<string, string>();
  private readonly writes = new Map<string, RecordWrite>();

  constructor(private readonly options: NotifierOptions) {}

  /** Evaluates the app as it is now. */
  observe(app: Application): void {
    const key = formatAppKey(appKeyOf(app));
    const { settings } = this.options;
    const own = parseSubscriptions(app.metadata.annotations);
    const project = this.options.project(app);
    const inherited = parseSubscriptions(project?.annotations);
    const subscriptions = mergeSubscriptions(own.subscriptions, inherited.subscriptions);
    const annotation = app.metadata.annotations?.[notifiedAnnotation];
    const problems = [
      ...own.problems,
      ...inherited.problems.map((p) => `AppProject ${project?.name ?? ''}: ${p}`),
      ...checkSubscriptions(subscriptions, settings.parsed),
    ];
    this.sayProblems(app, key, problems);
    if (subscriptions.length === 0 && annotation === undefined && !this.records.has(key)) return;
    const evaluation = evaluateNotifications({
      app, subscriptions, config: settings.parsed.config,
      record: this.records.get(key) ?? parseNotifiedRecord(annotation),
      delivering: (slot, outcome) => this.delivering.has(deliveryKey(key, slot, outcome)),
    });
    this.records.set(key, evaluation.record);
    for (const due of evaluation.due) this.deliver(app, key, due);
    if (formatNotifiedRecord(evaluation.record) !== annotation) this.persist(key);
  }

  /** The app was deleted: what is known of it goes (deliveries under way still end). */
  forget(key: string): void {
    this.records.delete(key);
    this.problemsSaid.delete(key);
  }

  private deliver(app: Application, key: string, due: DueNotification): void {
    const marker = deliveryKey(key, due.slot, due.outcome);
    let left = due.templates.length;
    const finished = (): void => {
      if (--left > 0) return;
      this.delivering.delete(marker);
      this.records.get(key)?.set(due.slot, due.outcome);
      this.persist(key);
    };
    if (left === 0) {
      left = 1;
      finished();
      return;
    }
    this.delivering.add(marker);
    for (const template of due.templates) this.enqueue(app, due, template, finished);
  }

  private enqueue(app: Application, due: DueNotification, template: Template, finished: () => void): void {
    const { settings, queue, metrics, logger } = this.options;
    const notification: Notification = { app, trigger: due.trigger, template, recipient: due.recipient, context: settings.context };
    const what = describe(app, due);
    const added = queue.add({
      request: async () => {
        const secrets = await this.options.secrets();
        return buildRequest(due.service, notification, (k) => secrets[k]);
      },
      retrying: (attempt, delayMs, why) => {
        metrics?.retry(due.service.name);
        logger.info({ app: what.app, trigger: due.trigger, service: due.service.name, attempt, retryInMs: delayMs, why }, 'notification not delivered; trying again');
      },
      done: (result) => {
        this.report(app, due, result);
        finished();
      },
    });
    if (!added) {
      metrics?.delivery(due.trigger, due.service.name, 'dropped');
      logger.warn({ app: what.app, trigger: due.trigger, service: due.service.name, pending: queue.pending }, 'notification dropped: too many deliveries waiting');
      this.options.events.record(app, 'Warning', eventReasons.notificationFailed, `${what.text}: dropped, ${queue.pending} deliveries are waiting`);
      finished();
    }
  }

  private report(app: Application, due: DueNotification, result: DeliveryResult): void {
    const { metrics, logger, events } = this.options;
    const what = describe(app, due);
    const tries = result.attempts > 1 ? ` after ${result.attempts} tries` : '';
    if (result.delivered) {
      metrics?.delivery(due.trigger, due.service.name, 'delivered');
      logger.info({ app: what.app, trigger: due.trigger, service: due.service.name, attempts: result.attempts }, 'notification delivered');
      events.record(app, 'Normal', eventReasons.notificationSent, `${what.text}: delivered${tries}`);
    } else {
      metrics?.delivery(due.trigger, due.service.name, 'failed');
      logger.warn({ app: what.app, trigger: due.trigger, service: due.service.name, attempts: result.attempts, reason: result.reason }, 'notification not delivered');
      events.record(app, 'Warning', eventReasons.notificationFailed, `${what.text}: not delivered (${result.reason})`);
    }
  }

  private sayProblems(app: Application, key: string, problems: readonly string[]): void {
    const text = problems.join('; ');
    if ((this.problemsSaid.get(key) ?? '') === text) return;
    if (text === '') {
      this.problemsSaid.delete(key);
      return;
    }
    this.problemsSaid.set(key, text);
    this.options.logger.warn({ app: key, problems }, 'subscriptions Capstan cannot use');
    this.options.events.record(app, 'Warning', eventReasons.invalidSubscription, text);
  }

  /** Writes the app's record once no other write of it is under way; one more after that if it changed meanwhile. */
  private persist(key: string): void {
    const running = this.writes.get(key);
    if (running !== undefined) {
      running.again = true;
      return;
    }
    const state: RecordWrite = { again: true };
    this.writes.set(key, state);
    void (async () => {
      try {
        while (state.again) {
          state.again = false;
          const app = this.options.current(key);
          const record = this.records.get(key);
          if (app === undefined || record === undefined) break;
          const value = formatNotifiedRecord(record);
          if (app.metadata.annotations?.[notifiedAnnotation] !== value) await this.options.writeRecord(app, value);
        }
      } catch (err) {
        // Kept in memory; written again at the app's next change.
        this.options.logger.warn({ app: key, err }, `could not write annotation ${notifiedAnnotation}`);
      } finally {
        this.writes.delete(key);
      }
    })();
  }
}

function deliveryKey(app: string, slot: string, outcome: string): string {
  return `${app}\n${slot}\n${outcome}`;
}

/** What logs and Events call the notification: never the URL (it may hold a token). */
function describe(app: Application, due: DueNotification): { app: string; text: string } {
  const to = due.recipient === '' ? '' : ` to ${due.recipient}`;
  return { app: formatAppKey(appKeyOf(app)), text: `${due.trigger} through ${due.service.name}${to}` };
}
