/**
 * The key that makes a trigger fire once per outcome: the controller records the keys it sent and
 * sends again only for a new key. Without oncePer the outcome is the operation (its revision,
 * phase and finish, or start while it runs); with oncePer, the value of that field. As in Argo CD,
 * the record of a trigger's keys is dropped when its condition stops holding, so an app that
 * degrades, recovers and degrades again is told twice.
 */

import type { Application } from '../api/application.js';
import { fieldAt, fieldText, parseFieldPath } from './fields.js';

export interface OnceKeyInput {
  readonly trigger: string;
  readonly service: string;
  readonly recipient: string;
  readonly app: Application;
  /** The trigger condition's oncePer field (`app.status.sync.revision`), if it has one. */
  readonly oncePer?: string;
}

/** `<trigger>:<service>:<recipient>:<outcome>`, each part percent-encoded so no part can run into the next. */
export function onceKey(input: OnceKeyInput): string {
  return [input.trigger, input.service, input.recipient, outcomeOf(input.app, input.oncePer)].map(encodeURIComponent).join(':');
}

/** What identifies the outcome the trigger reports. */
export function outcomeOf(app: Application, oncePer?: string): string {
  if (oncePer !== undefined) {
    const path = parseFieldPath(oncePer);
    if (path !== undefined) return `oncePer=${fieldText(fieldAt({ app }, path))}`;
  }
  const status = app.status;
  const operation = status?.operationState;
  return [
    operation?.revision ?? status?.sync?.revision ?? '',
    operation?.phase ?? '',
    operation?.finishedAt ?? operation?.startedAt ?? '',
  ].join('/');
}
