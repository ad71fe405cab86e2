/**
 * GET over node:https (or http) with TLS settings that Node's fetch cannot take: a CA bundle of
 * the repository's own, a client certificate, or no verification. Redirects are followed (at
 * most 10); the Authorization header goes only to the origin it was meant for, as fetch does.
 * The answer is a fetch Response, so the callers read it one way.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';

export interface TlsSettings {
  /** PEM CA bundle to trust instead of the machine's. */
  readonly ca?: string;
  /** A client certificate and its key (PEM). */
  readonly cert?: string;
  readonly key?: string;
  /** Skip verification of the server's certificate. */
  readonly insecure?: boolean;
}

const MAX_REDIRECTS = 10;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export async function fetchWithTls(url: string, init: { headers: Record<string, string>; signal: AbortSignal; tls: TlsSettings }): Promise<{ response: Response; url: string }> {
  const origin = new URL(url).origin;
  let current = url;
  for (let hop = 0; ; hop++) {
    const target = new URL(current);
    const headers = target.origin === origin ? init.headers : withoutAuthorization(init.headers);
    const answer = await getOnce(target, headers, init.signal, init.tls);
    const location = answer.headers.location;
    if (REDIRECTS.has(answer.statusCode ?? 0) && location !== undefined) {
      answer.resume();
      if (hop >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`);
      current = new URL(location, target).toString();
      continue;
    }
    return { response: toResponse(answer), url: current };
  }
}

function getOnce(url: URL, headers: Record<string, string>, signal: AbortSignal, tls: TlsSettings): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const options = { method: 'GET', headers, signal };
    const req = url.protocol === 'https:'
      ? httpsRequest(url, {
        ...options,
        rejectUnauthorized: tls.insecure !== true,
        ...(tls.ca === undefined ? {} : { ca: tls.ca }),
        ...(tls.cert === undefined ? {} : { cert: tls.cert }),
        ...(tls.key === undefined ? {} : { key: tls.key }),
      }, resolve)
      : httpRequest(url, options, resolve);
    req.once('error', reject);
    req.end();
  });
}

function toResponse(answer: IncomingMessage): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const status = answer.statusCode ?? 500;
  const empty = status === 204 || status === 304 || status < 200;
  if (empty) answer.resume();
  const body = empty ? null : (Readable.toWeb(answer) as ReadableStream<Uint8Array>);
  return new Response(body, { status: status < 200 ? 502 : status, statusText: answer.statusMessage ?? '', headers });
}

function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
}
