/**
 * HTTP GETs with Node's fetch, bounded in time (AbortSignal.timeout, body included) and in size
 * (Content-Length checked first, the body counted as it streams and cut off past the limit).
 * Requests carry the credentials of the repository Secret serving the repository (repo-auth.ts)
 * or the anonymous registry tokens oci.ts gets; headers are never logged.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { redactUrl } from './ref.js';
import { fetchWithTls, type TlsSettings } from './tls-fetch.js';

export const USER_AGENT = 'capstan';
/** An error answer's body is read this far, for its message. */
const ERROR_BODY_BYTES = 16 * 1024;

export interface GetOptions {
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** The repository's own CA, client certificate or insecure setting (a repository Secret, capstan-tls-certs). */
  readonly tls?: TlsSettings;
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
  return { ok: true, status: response.status, headers: response.headers, body: success ? body : body.subarray(0, ERROR_BODY_BYTES), url: started.url };
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

/** `url` of the answer: where redirects led. */
async function start(url: string, options: GetOptions): Promise<{ ok: true; response: Response; url: string } | HttpFailure> {
  let response: Response;
  let finalUrl: string;
  const headers = { 'user-agent': USER_AGENT, ...options.headers };
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    if (options.tls === undefined) {
      response = await fetch(url, { headers, redirect: 'follow', signal });
      finalUrl = response.url || url;
    } else {
      ({ response, url: finalUrl } = await fetchWithTls(url, { headers, signal, tls: options.tls }));
    }
  } catch (err) {
    return { ok: false, message: `requesting ${redactUrl(url)} failed: ${describe(err, options.timeoutMs)}` };
  }
  const refused = options.allowUrl?.(new URL(finalUrl));
  if (refused !== undefined) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: false, message: refused };
  }
  return { ok: true, response, url: finalUrl };
}

async function* bodyOf(response: Response): AsyncGenerator<Buffer> {
  if (response.body === null) return;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

function tooLarge(url: string, limit: number): HttpFailure {
  return { ok: false, tooLarge: true, message: `${redactUrl(url)} is larger than ${limit} bytes` };
}

/** Node's codes for a certificate chain it does not trust (or one for another host). */
const untrustedCertificate = /^(UNABLE_TO_(VERIFY_LEAF_SIGNATURE|GET_ISSUER_CERT(_LOCALLY)?)|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_(HAS_EXPIRED|UNTRUSTED|NOT_YET_VALID)|ERR_TLS_CERT_ALTNAME_INVALID)$/;

/** What went wrong, in words that hold no URL (fetch's causes name the host and port at most). */
export function describe(err: unknown, timeoutMs: number): string {
  // Duck-typed: fetch's errors (a DOMException for a timeout) may come from another realm.
  const name = field(err, 'name');
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${Math.round(timeoutMs / 100) / 10} s`;
  const cause = typeof err === 'object' && err !== null && 'cause' in err ? err.cause : undefined;
  const detail = field(cause, 'code') ?? field(err, 'code') ?? field(cause, 'message') ?? field(err, 'message');
  if (detail !== undefined && untrustedCertificate.test(detail)) return `the server's TLS certificate is not trusted (${detail}); its CA can be given in the ConfigMap capstan-tls-certs`;
  return detail ?? String(err);
}

function field(value: unknown, name: string): string | undefined {
  if (typeof value !== 'object' || value === null || !(name in value)) return undefined;
  const found: unknown = (value as Record<string, unknown>)[name];
  return typeof found === 'string' && found !== '' ? found : undefined;
}
