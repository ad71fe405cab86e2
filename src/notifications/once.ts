/**
 * What makes a trigger fire once per outcome. Each subscription's trigger condition has a slot
 * (`<trigger>:<condition>:<service>:<recipient>`); the controller records, per slot, the outcome it
 * notified, and notifies again only for another one. The outcome is the value of the condition's
 * oncePer field (`app.status.operationState.revision`), or nothing at all without one: then the
 * trigger fires once while its condition holds. As in Argo CD, a slot's record is dropped when its
 * condition stops holding, so an app that degrades, recovers and degrades again is told twice;
 * but not while a sync runs, since a retry or a new sync is not an outcome yet.
 */

import type { Application } from '../api/application.js';
import { fieldAt, fieldText, parseFieldPath } from './fields.js';

export interface SlotInput {
  readonly trigger: string;
  /** The index of the condition among the trigger's conditions. */
  readonly condition: number;
  readonly service: string;
  readonly recipient: string;
}

/** The slot's key, each part percent-encoded so no part can run into the next. */
export function slotKey(slot: SlotInput): string {
  return [slot.trigger, String(slot.condition), slot.service, slot.recipient].map(encodeURIComponent).join(':');
}

/** What identifies the outcome a condition reports: its oncePer field's value, or '' without one. */
export function outcomeOf(app: Application, oncePer?: string): string {
  if (oncePer === undefined) return '';
  const path = parseFieldPath(oncePer);
  return path === undefined ? '' : fieldText(fieldAt({ app }, path));
}

/** Is a sync of the app running (its record of what it was told is kept meanwhile)? */
export function syncRunning(app: Application): boolean {
  return app.status?.operationState?.phase === 'Running';
}
