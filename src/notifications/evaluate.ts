/**
 * Which notifications an app's state calls for now: each subscription's trigger is evaluated for
 * each recipient; a condition that holds with an outcome not yet notified (nor being delivered)
 * is due; the record of a condition that stopped holding is dropped (once.ts). Pure.
 */

import type { Application } from '../api/application.js';
import { evaluateCondition } from './conditions.js';
import { outcomeOf, slotKey, syncRunning } from './once.js';
import type { NotifiedRecord } from './record.js';
import type { NotificationConfig, Service, Subscription, Template } from './types.js';

export interface DueNotification {
  readonly slot: string;
  readonly outcome: string;
  readonly trigger: string;
  /** The condition as written. */
  readonly when: string;
  readonly service: Service;
  /** '' for a service without recipients. */
  readonly recipient: string;
  readonly templates: readonly Template[];
}

export interface EvaluationInput {
  readonly app: Application;
  readonly subscriptions: readonly Subscription[];
  readonly config: NotificationConfig;
  /** Slot → the outcome last notified. */
  readonly record: NotifiedRecord;
  /** Is a delivery of this outcome for this slot under way? */
  readonly delivering: (slot: string, outcome: string) => boolean;
}

export interface Evaluation {
  readonly due: DueNotification[];
  /** The record without the slots whose condition stopped holding or that are no longer subscribed. */
  readonly record: Map<string, string>;
}

export function evaluateNotifications(input: EvaluationInput): Evaluation {
  const { app, config } = input;
  const record = new Map<string, string>();
  const due: DueNotification[] = [];
  const running = syncRunning(app);
  for (const subscription of input.subscriptions) {
    const trigger = config.triggers.get(subscription.trigger);
    const service = config.services.get(subscription.service);
    if (trigger === undefined || service === undefined) continue;
    const recipients = subscription.recipients.length === 0 ? [''] : subscription.recipients;
    trigger.conditions.forEach((condition, index) => {
      const holds = evaluateCondition(condition.condition, app);
      for (const recipient of recipients) {
        const slot = slotKey({ trigger: trigger.name, condition: index, service: service.name, recipient });
        const notified = input.record.get(slot);
        if (!holds) {
          if (running && notified !== undefined) record.set(slot, notified);
          continue;
        }
        if (notified !== undefined) record.set(slot, notified);
        const outcome = outcomeOf(app, condition.oncePer);
        if (notified === outcome || input.delivering(slot, outcome)) continue;
        const templates = condition.send.flatMap((name) => {
          const template = config.templates.get(name);
          return template === undefined ? [] : [template];
        });
        due.push({ slot, outcome, trigger: trigger.name, when: condition.when, service, recipient, templates });
      }
    });
  }
  return { due, record };
}
