import { isRecord } from '../api/object.js';

/** A non-2xx answer of the API server, with the reason and message of its Status object. */
export class KubeApiError extends Error {
  readonly code = 'KUBE_API_ERROR';
  readonly status: number;
  readonly reason: string;
  readonly details: unknown;

  constructor(status: number, reason: string, message: string, details?: unknown) {
    super(message);
    this.name = 'KubeApiError';
    this.status = status;
    this.reason = reason;
    this.details = details;
  }

  static fromResponse(status: number, verb: string, path: string, body: unknown): KubeApiError {
    if (isRecord(body) && body['kind'] === 'Status') {
      const reason = typeof body['reason'] === 'string' ? body['reason'] : '';
      const message = typeof body['message'] === 'string' ? body['message'] : `${verb} ${path}: HTTP ${status}`;
      return new KubeApiError(status, reason, message, body['details']);
    }
    return new KubeApiError(status, '', `${verb} ${path}: HTTP ${status}`);
  }
}

/** The API server could not be reached at all (connection refused, TLS failure, timeout). */
export class KubeConnectionError extends Error {
  readonly code = 'KUBE_CONNECTION_ERROR';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KubeConnectionError';
  }
}

/** A request to the API server that did not complete within its deadline (code as KubeConnectionError). */
export class KubeTimeoutError extends KubeConnectionError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KubeTimeoutError';
  }
}

/** A watch stream on which nothing arrived, not even a bookmark, for longer than its idle deadline. */
export class WatchIdleError extends Error {
  readonly code = 'WATCH_IDLE';
  constructor(message: string) {
    super(message);
    this.name = 'WatchIdleError';
  }
}

/** Informers that did not list within their deadline; `cause` is the last failure seen. */
export class SyncTimeoutError extends Error {
  readonly code = 'SYNC_TIMEOUT';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SyncTimeoutError';
  }
}

/** A write refused locally because this replica is not (or no longer) the leader. */
export class NotLeaderError extends Error {
  readonly code = 'NOT_LEADER';
  constructor(message: string) {
    super(message);
    this.name = 'NotLeaderError';
  }
}

export const isUnauthorized = (err: unknown): boolean => err instanceof KubeApiError && err.status === 401;
export const isNotFound = (err: unknown): boolean => err instanceof KubeApiError && err.status === 404;
export const isConflict = (err: unknown): boolean => err instanceof KubeApiError && err.status === 409;
export const isForbidden = (err: unknown): boolean => err instanceof KubeApiError && err.status === 403;
export const isGone = (err: unknown): boolean => err instanceof KubeApiError && err.status === 410;
export const isInvalid = (err: unknown): boolean => err instanceof KubeApiError && (err.status === 422 || err.status === 400 || isUndeclaredField(err));

/**
 * Server-side apply of a built-in kind with a field its schema does not have: the API server
 * answers 500 ("failed to create typed patch object … field not declared in schema"), whatever
 * the field validation asked for. It is the object that is wrong, not the server: never retried.
 */
export const isUndeclaredField = (err: unknown): boolean =>
  err instanceof KubeApiError && err.status === 500 && /failed to create typed patch object|field not declared in schema/.test(err.message);
