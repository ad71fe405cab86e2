// The messages between JqRunner and its worker thread: structured-clone data only.

export interface JqJob {
  readonly id: number;
  /** A jq program, run as `jq -c PROGRAM` on `input`. */
  readonly program: string;
  /** The JSON text jq reads (one value). */
  readonly input: string;
}

/**
 * What the program wrote, parsed (one element per output), or jq's error. `fatal`: jq stopped
 * the WebAssembly instance itself (it ran out of its memory): the worker takes no more jobs.
 */
export type JqReply =
  | { readonly id: number; readonly outputs: unknown[] }
  | { readonly id: number; readonly error: string; readonly fatal: boolean };

export function isJqReply(value: unknown): value is JqReply {
  if (typeof value !== 'object' || value === null || !('id' in value) || typeof value.id !== 'number') return false;
  return ('outputs' in value && Array.isArray(value.outputs)) || ('error' in value && typeof value.error === 'string');
}

/** The first message of a worker: jq has loaded and the worker takes jobs. */
export const JQ_READY = 'jq-ready';

export function isJqReady(value: unknown): value is typeof JQ_READY {
  return value === JQ_READY;
}
