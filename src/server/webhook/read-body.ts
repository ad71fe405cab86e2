/** Reads a request body up to a limit and a deadline, and stops reading as soon as either is passed. */
import type { IncomingMessage } from 'node:http';

export type BodyRead =
  | { ok: true; body: Buffer }
  | { ok: false; reason: 'too-large' | 'aborted' | 'timeout' | 'displaced' };

export interface ReadBodyOptions {
  readonly maxBytes: number;
  /** The whole body must have arrived within this. */
  readonly timeoutMs: number;
  /** Aborted when another request took this reader's place. */
  readonly signal?: AbortSignal;
  /** Called on every chunk. */
  readonly onData?: () => void;
}

export function readBody(req: IncomingMessage, options: ReadBodyOptions): Promise<BodyRead> {
  const { maxBytes } = options;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve({ ok: false, reason: 'too-large' });
  if (options.signal?.aborted === true) return Promise.resolve({ ok: false, reason: 'displaced' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyRead): void => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onDisplaced);
      req.off('data', onData).off('end', onEnd).off('error', onAborted).off('close', onAborted);
      // Whatever was not read stays unread: the caller answers and closes the connection.
      if (!result.ok) req.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        // A chunked body has no declared length: it is caught here, and the rest is not read.
        finish({ ok: false, reason: 'too-large' });
        return;
      }
      chunks.push(chunk);
      options.onData?.();
    };
    const onEnd = (): void => {
      finish({ ok: true, body: Buffer.concat(chunks, size) });
    };
    const onAborted = (): void => {
      finish({ ok: false, reason: 'aborted' });
    };
    const onDisplaced = (): void => {
      finish({ ok: false, reason: 'displaced' });
    };
    const timer = setTimeout(() => {
      finish({ ok: false, reason: 'timeout' });
    }, options.timeoutMs);
    options.signal?.addEventListener('abort', onDisplaced, { once: true });
    req.on('data', onData).on('end', onEnd).on('error', onAborted).on('close', onAborted);
  });
}
