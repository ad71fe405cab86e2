/**
 * HTTP GETs with Node's fetch, bounded in time (AbortSignal.timeout, body included) and in size
 * (Content-Length checked first, the body counted as it streams and cut off past the limit).
 * Requests carry no credentials but the anonymous registry tokens oci.ts gets; headers are
 * never logged.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { redactUrl } from './ref.js';

export const USER_AGENT = 'capstan';
/** An error answer's body is read this far, for its message. */
const ERROR_BODY_BYTES = 16 * 1024;

export interface GetOptions {
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Checked on the URL the answer came from, after redirects (plain HTTP only to loopback, say). */
  readonly allowUrl?: (url: URL) => string | undefined;
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  /** The whole body of a 2xx answer; the first 16 KiB of any other. */
  readonly body: Buffer;
  readonly url: string;
}

export type HttpFailure = { readonly ok: false; readonly message: string; readonly tooLarge?: boolean };

/** GET `url`; a non-2xx status is an answer, not a failure. */
export async function get(url: string, options: GetOptions): Promise<({ ok: true } & Answer) | HttpFailure> {
  const started = await start(url, options);
  if (!started.ok) return started;
  const { response } = started;
  const success = response.ok;
  const limit = success ? options.maxBytes : ERROR_BODY_BYTES;
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (success && declared > limit) {
    await response.body?.cancel();
    return tooLarge(url, limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of bodyOf(response)) {
      size += chunk.length;
      if (size > limit) {
        if (!success) break;
        return tooLarge(url, limit);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    return { ok: false, message: `reading ${redactUrl(url)} failed: ${describe(err, options.timeoutMs)}` };
  } finally {
    await response.body?.cancel().catch(() => undefined);
  }
  const body = Buffer.concat(chunks);
  return { ok: true, status: response.status, headers: response.headers, body: success ? body : body.subarray(0, ERROR_BODY_BYTES), url: response.url || url };
}

export type Download =
  | { ok: true; digest: string; size: number }
  | (HttpFailure & { readonly status?: number; /** WWW-Authenticate of a 401. */ readonly challenge?: string });

/**
 * GET `url` into `file` (created, never overwritten), counting its sha256 as it streams.
 * `digest` is `sha256:<hex>`. A non-2xx status is a failure.
 */
export async function download(url: string, file: string, options: GetOptions): Promise<Download> {
  const started = await start(url, options);
  if (!started.ok) return started;
  const { response } = started;
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    const challenge = response.headers.get('www-authenticate') ?? undefined;
    return { ok: false, status: response.status, message: `${redactUrl(url)} answered ${statusText(response)}`, ...(challenge === undefined ? {} : { challenge }) };
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > options.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return tooLarge(url, options.maxBytes);
  }
  const hash = createHash('sha256');
  const handle = await open(file, 'wx', 0o600);
  let size = 0;
  try {
    for await (const chunk of bodyOf(response)) {
      size += chunk.length;
      if (size > options.maxBytes) return tooLarge(url, options.maxBytes);
      hash.update(chunk);
      await handle.write(chunk);
    }
  } catch (err) {
    return { ok: false, message: `downloading ${redactUrl(url)} failed: ${describe(err, options.timeoutMs)}` };
  } finally {
    await handle.close();
    await response.body?.cancel().catch(() => undefined);
  }
  return { ok: true, digest: `sha256:${hash.digest('hex')}`, size };
}

export function statusText(response: { status: number; statusText?: string }): string {
  return `HTTP ${response.status}${response.statusText === undefined || response.statusText === '' ? '' : ` ${response.statusText}`}`;
}

async function start(url: string, options: GetOptions): Promise<{ ok: true; response: Response } | HttpFailure> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { 'user-agent': USER_AGENT, ...options.headers },
      redirect: 'follow',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (err) {
    return { ok: false, message: `requesting ${redactUrl(url)} failed: ${describe(err, options.timeoutMs)}` };
  }
  const finalUrl = response.url || url;
  const refused = options.allowUrl?.(new URL(finalUrl));
  if (refused !== undefined) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: false, message: refused };
  }
  return { ok: true, response };
}

async function* bodyOf(response: Response): AsyncGenerator<Buffer> {
  if (response.body === null) return;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

function tooLarge(url: string, limit: number): HttpFailure {
  return { ok: false, tooLarge: true, message: `${redactUrl(url)} is larger than ${limit} bytes` };
}

/** What went wrong, in words that hold no URL (fetch's causes name the host and port at most). */
export function describe(err: unknown, timeoutMs: number): string {
  // Duck-typed: fetch's errors (a DOMException for a timeout) may come from another realm.
  const name = field(err, 'name');
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${Math.round(timeoutMs / 100) / 10} s`;
  const cause = typeof err === 'object' && err !== null && 'cause' in err ? err.cause : undefined;
  const detail = field(cause, 'code') ?? field(cause, 'message') ?? field(err, 'message');
  return detail ?? String(err);
}

function field(value: unknown, name: string): string | undefined {
  if (typeof value !== 'object' || value === null || !(name in value)) return undefined;
  const found: unknown = (value as Record<string, unknown>)[name];
  return typeof found === 'string' && found !== '' ? found : undefined;
}
