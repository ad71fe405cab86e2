/**
 * One webhook request over HTTP. What the headers decide is answered before the body is read
 * (and the connection closed, so the rest is never read); a body is read only with a place in
 * the BodyGate, within the body deadline, and authenticated before it is parsed.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { admitRequest } from './admission.js';
import type { BodyGate } from './body-gate.js';
import type { AdmissionOptions } from './admission.js';
import { handleAdmittedAsync } from './handler.js';
import type { WebhookMetrics } from './metrics.js';
import { readBody } from './read-body.js';
import type { AsyncWebhookTarget, WebhookLogger, WebhookProvider, WebhookResponse, WebhookSecrets, WebhookTarget } from './types.js';

export const webhookPath = '/api/webhook';

export interface ServeContext {
  readonly target: WebhookTarget | AsyncWebhookTarget;
  readonly secrets: () => Promise<WebhookSecrets> | WebhookSecrets;
  readonly log: WebhookLogger;
  readonly metrics: WebhookMetrics | undefined;
  readonly maxBodyBytes: number;
  readonly bodyTimeoutMs: number;
  readonly gate: BodyGate;
  readonly handler: AdmissionOptions;
}

export async function serve(req: IncomingMessage, res: ServerResponse, context: ServeContext, expectsContinue: boolean): Promise<void> {
  const path = (req.url ?? '/').split('?', 1)[0];
  if (path !== webhookPath) {
    answerAndClose(context, res, undefined, { status: 404, body: { message: 'not found' } });
    return;
  }
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    answerAndClose(context, res, undefined, { status: 405, body: { message: 'method not allowed' } });
    return;
  }
  let secrets: WebhookSecrets;
  try {
    secrets = await context.secrets();
  } catch (err) {
    // Fail closed: without the secrets no request can be authenticated.
    context.log.warn({ err: errorMessage(err) }, 'webhook secrets unavailable');
    answerAndClose(context, res, undefined, { status: 503, body: { message: 'webhook secrets unavailable' } });
    return;
  }
  const admission = admitRequest(flattenHeaders(req.headers), secrets, context.handler);
  if (!admission.ok) {
    answerAndClose(context, res, admission.provider, admission.response);
    return;
  }
  const provider = admission.adapter.provider;
  const declared = declaredLength(req);
  if (declared !== undefined && declared > context.maxBodyBytes) {
    refuseTooLarge(context, res, provider, declared);
    return;
  }
  // A body without a declared length (chunked) may take up to the limit.
  const lease = context.gate.acquire(declared ?? context.maxBodyBytes);
  reportBodies(context);
  if (lease === undefined) {
    res.setHeader('Retry-After', '1');
    answerAndClose(context, res, provider, { status: 503, body: { message: 'too many webhook requests in flight' } });
    return;
  }
  if (expectsContinue) res.writeContinue();
  const read = await readBody(req, {
    maxBytes: context.maxBodyBytes,
    timeoutMs: context.bodyTimeoutMs,
    signal: lease.signal,
    onData: () => {
      lease.touch();
    },
  }).finally(() => {
    lease.release();
    reportBodies(context);
  });
  if (!read.ok) {
    switch (read.reason) {
      case 'too-large':
        refuseTooLarge(context, res, provider, declared);
        return;
      case 'timeout':
        context.log.debug({ provider, timeoutMs: context.bodyTimeoutMs }, 'webhook body not received in time');
        answerAndClose(context, res, provider, { status: 408, body: { message: 'request body not received in time' } });
        return;
      case 'displaced':
        context.metrics?.bodyDisplaced();
        context.log.debug({ provider }, 'webhook body reading cut off for a newer request');
        res.setHeader('Retry-After', '1');
        answerAndClose(context, res, provider, { status: 503, body: { message: 'too many webhook requests in flight' } });
        return;
      case 'aborted':
        res.destroy();
        return;
    }
  }
  const response = await handleAdmittedAsync(admission, read.body, context.target, context.handler);
  // A client whose request was refused starts over on a new connection: pipelining bad
  // signatures on one connection buys it nothing.
  if (response.status >= 400) {
    answerAndClose(context, res, provider, response);
    return;
  }
  context.metrics?.answered(provider, response.status);
  send(res, response);
}

/** Answers 413 without reading the rest of the body, then drops the connection. */
function refuseTooLarge(context: ServeContext, res: ServerResponse, provider: WebhookProvider, declared: number | undefined): void {
  context.log.warn({ provider, contentLength: declared, maxBodyBytes: context.maxBodyBytes }, 'webhook body too large');
  answerAndClose(context, res, provider, { status: 413, body: { message: `body larger than ${context.maxBodyBytes} bytes` } });
}

/**
 * An answer given before the body was read: the connection is closed after it (node then stops
 * reading), so the client cannot make the server read or hold what it still sends.
 */
function answerAndClose(context: ServeContext, res: ServerResponse, provider: WebhookProvider | undefined, response: WebhookResponse): void {
  context.metrics?.answered(provider, response.status);
  res.setHeader('Connection', 'close');
  send(res, response);
}

export function send(res: ServerResponse, response: WebhookResponse): void {
  const text = JSON.stringify(response.body);
  res
    .writeHead(response.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) })
    .end(text);
}

function reportBodies(context: ServeContext): void {
  context.metrics?.bodies(context.gate.readers, context.gate.bytes);
}

function declaredLength(req: IncomingMessage): number | undefined {
  const header = req.headers['content-length'];
  if (header === undefined) return undefined;
  const value = Number(header);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** node gives repeated headers as arrays; the providers read single values. */
function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  const flat: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
