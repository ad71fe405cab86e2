// The messages between RenderPool and its worker threads: structured-clone data only.
import type { RenderRequest, SerializedRender } from './serialized.js';
import type { RenderLimits } from './types.js';

export interface RenderWorkerData {
  readonly limits: RenderLimits;
}

export interface RenderJob {
  readonly id: number;
  readonly request: RenderRequest;
}

/** The render, or the message of an error it threw (an unreadable directory, say). */
export type RenderReply = { readonly id: number; readonly result: SerializedRender } | { readonly id: number; readonly error: string };

export function isRenderReply(value: unknown): value is RenderReply {
  if (typeof value !== 'object' || value === null || !('id' in value) || typeof value.id !== 'number') return false;
  return ('result' in value && typeof value.result === 'object') || ('error' in value && typeof value.error === 'string');
}

/** The first message of a worker: it has loaded and takes jobs. */
export const READY_MESSAGE = 'ready';

export function isReadyMessage(value: unknown): value is typeof READY_MESSAGE {
  return value === READY_MESSAGE;
}
