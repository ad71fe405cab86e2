// How a failure is answered: the HTTP status says its kind, the text says what happened.
import { AppNotFoundError } from '../cli/app/client.js';
import { KubeApiError } from '../cluster/errors.js';

/** A request the app's state refuses (an operation already asked for, no such history entry…): HTTP 409. */
export class ActionRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActionRefusedError';
  }
}

/** A request body the API does not take: HTTP 400. */
export class BadRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadRequestError';
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The status of an error answer: the API server's own for its refusals (403 forbidden, 404…), 409 for a refused action. */
export function errorStatus(err: unknown): 400 | 401 | 403 | 404 | 409 | 422 | 500 | 502 {
  if (err instanceof AppNotFoundError) return 404;
  if (err instanceof ActionRefusedError) return 409;
  if (err instanceof BadRequestError) return 400;
  if (err instanceof KubeApiError) {
    if (err.status === 401 || err.status === 403 || err.status === 404 || err.status === 409 || err.status === 422 || err.status === 400) return err.status;
    return 502;
  }
  return 500;
}

/** The text of an error answer: a 403 starts with "forbidden" (the API server's message says who and what). */
export function errorText(err: unknown): string {
  const message = errorMessage(err);
  if (errorStatus(err) === 403 && !/^forbidden/i.test(message)) return `forbidden: ${message}`;
  return message;
}
