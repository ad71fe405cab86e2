import type { Reason } from './conditions.js';

/** The one shape of an expected outcome (DESIGN.md §6.6): a value, or an error value. */
export type Result<T, E = Failure> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

/** Why a reconcile stopped before changing the cluster: reported as a condition and an Event. */
export interface Failure {
  readonly reason: Reason;
  readonly message: string;
}

export const ok = <T>(value: T): { readonly ok: true; readonly value: T } => ({ ok: true, value });

export const fail = (reason: Reason, message: string): { readonly ok: false; readonly error: Failure } => ({ ok: false, error: { reason, message } });
