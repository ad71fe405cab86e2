/**
 * Thrown by a reconcile to say "the failure is recorded; do not retry until something changes".
 * The work queue does not schedule a retry for it and resets the key's backoff.
 */
export class TerminalError extends Error {
  readonly code = 'TERMINAL';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TerminalError';
  }
}

/**
 * True for a TerminalError, also one from another copy of this module (checked by its stable code),
 * so that a reconcile bundled differently still stops retries.
 */
export function isTerminalError(err: unknown): err is TerminalError {
  return err instanceof TerminalError || (err instanceof Error && (err as { code?: unknown }).code === 'TERMINAL');
}
