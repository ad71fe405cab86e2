/**
 * The webhook receiver's core, free of HTTP framework: admit the request by its headers,
 * authenticate the body, read the push, drop replays, and queue the applications that use the
 * pushed repository.
 */
import { createHash } from 'node:crypto';
import { compareCodeUnits } from '../../api/text.js';
import { isFullSha, normalizeRepoUrl, redactUrl } from '../../git/index.js';
import { admitRequest, type Admission, type AdmissionOptions } from './admission.js';
import { decodeBody } from './decode-body.js';
import { DeliveryLog } from './deliveries.js';
import { printable, pushReason, unverifiedPushReason } from './describe-push.js';
import { LogThrottle } from './log-throttle.js';
import type {
  AsyncWebhookTarget,
  RefreshHint,
  PushEvent,
  WebhookLogger,
  WebhookProvider,
  WebhookRequest,
  WebhookResponse,
  WebhookSecrets,
  WebhookTarget,
} from './types.js';

export interface HandleWebhookOptions {
  readonly logger?: WebhookLogger;
  /** Accept pushes of providers without a secret, marked unverified (default false: they get 401). */
  readonly allowUnsigned?: boolean;
  /** Deliveries seen lately; a server keeps one for its lifetime. */
  readonly deliveries?: DeliveryLog;
  /** Providers already warned about; a server keeps one set so that each is warned about once. */
  readonly warned?: Set<WebhookProvider>;
  /** Bounds the warnings about rejected requests; a server keeps one. */
  readonly throttle?: LogThrottle;
}

export type AdmittedRequest = Extract<Admission, { ok: true }>;

const silentLogger: WebhookLogger = { info: () => undefined, warn: () => undefined, debug: () => undefined };

/** The options admission needs, with defaults for what the caller left out. */
export function admissionOptions(options: HandleWebhookOptions): AdmissionOptions {
  return {
    allowUnsigned: options.allowUnsigned ?? false,
    deliveries: options.deliveries ?? new DeliveryLog(),
    logger: options.logger ?? silentLogger,
    warned: options.warned ?? new Set(),
    throttle: options.throttle ?? new LogThrottle(),
  };
}

export function handleWebhook(req: WebhookRequest, secrets: WebhookSecrets, target: WebhookTarget, options: HandleWebhookOptions = {}): WebhookResponse {
  const admission = admitRequest(req.headers, secrets, admissionOptions(options));
  if (!admission.ok) return admission.response;
  return handleAdmitted(admission, req.body, target, admissionOptions(options));
}

/** The body half, for a request whose headers were admitted, with a target that answers at once (the leader). */
export function handleAdmitted(
  admitted: AdmittedRequest,
  body: Buffer,
  target: WebhookTarget,
  options: AdmissionOptions,
): WebhookResponse {
  const log = options.logger;
  const read = readPush(admitted, body, options);
  if (!read.ok) return read.response;
  const queued = uniqueSorted(target.applicationsFor([...read.repos.keys()]));
  if (queued.length > 0) target.refresh(queued, [...read.repos.values()], read.reason, refreshHint(read.push));
  return answer(read, queued, log);
}

/**
 * The same for a target that answers asynchronously (a standby replica, which asks the API
 * server): the response is sent once the apps are found and their refresh is recorded.
 */
export async function handleAdmittedAsync(
  admitted: AdmittedRequest,
  body: Buffer,
  target: WebhookTarget | AsyncWebhookTarget,
  options: AdmissionOptions,
): Promise<WebhookResponse> {
  const log = options.logger;
  const read = readPush(admitted, body, options);
  if (!read.ok) return read.response;
  const queued = uniqueSorted(await target.applicationsFor([...read.repos.keys()]));
  if (queued.length > 0) await target.refresh(queued, [...read.repos.values()], read.reason, refreshHint(read.push));
  return answer(read, queued, log);
}

type ReadPush =
  | { readonly ok: false; readonly response: WebhookResponse }
  | {
      readonly ok: true;
      readonly push: PushEvent;
      readonly verified: boolean;
      readonly reason: string;
      /** normalised URL -> the URL as the payload gave it (credentials removed), one per repository. */
      readonly repos: ReadonlyMap<string, string>;
    };

/** Authenticates the body (before it is parsed), reads the push and drops replays. */
function readPush(admitted: AdmittedRequest, body: Buffer, options: AdmissionOptions): ReadPush {
  const { adapter, event, secret } = admitted;
  const { deliveries, logger: log } = options;
  const provider = adapter.provider;
  if (secret !== undefined && adapter.signsBody && !adapter.verify(admitted.headers, body, secret)) {
    options.throttle.warn(log, `${provider}/signature`, { provider, event }, 'webhook rejected: invalid signature');
    return { ok: false, response: { status: 401, body: { message: 'invalid signature' } } };
  }
  const decoded = decodeBody(admitted.headers, body);
  if (!decoded.ok) return { ok: false, response: { status: 400, body: { message: decoded.message } } };
  const push = adapter.parse(decoded.json);
  if (push === undefined) {
    return { ok: false, response: { status: 400, body: { message: `${provider} ${event} payload names no repository` } } };
  }
  // A replay under a new delivery id (the id is not signed) still carries the same signed body.
  // Only a push that names its commit can be told from a later one by its body alone: the same
  // `{"repoURL": ..., "revision": "main"}` may rightly come after every commit.
  const namesCommit = push.revision !== undefined && isFullSha(push.revision);
  const keys = [
    ...(admitted.deliveryKey === undefined ? [] : [admitted.deliveryKey]),
    ...(namesCommit ? [`${provider}\nbody\n${createHash('sha256').update(body).digest('hex')}`] : []),
  ];
  if (deliveries.has(keys)) {
    log.info({ provider, revision: printable(push.revision ?? '') }, 'webhook delivery seen before: ignored');
    return { ok: false, response: { status: 200, body: { queued: [], message: 'duplicate delivery' } } };
  }
  deliveries.record(keys);
  // One URL per repository: the payload names each in several forms (https, ssh, web).
  const repos = new Map<string, string>();
  for (const url of push.repoUrls) {
    const key = normalizeRepoUrl(url);
    if (!repos.has(key)) repos.set(key, redactUrl(url));
  }
  const verified = secret !== undefined;
  return { ok: true, push, verified, reason: verified ? pushReason(push) : unverifiedPushReason(provider), repos };
}

/** What the push says it brought: lets the target skip a refresh that already found it. */
function refreshHint(push: PushEvent): RefreshHint | undefined {
  if (push.ref === undefined || push.revision === undefined || !isFullSha(push.revision)) return undefined;
  return { ref: push.ref, revision: push.revision.toLowerCase() };
}

function uniqueSorted(keys: readonly string[]): string[] {
  return [...new Set(keys)].sort(compareCodeUnits);
}

function answer(read: Extract<ReadPush, { ok: true }>, queued: string[], log: WebhookLogger): WebhookResponse {
  const { push } = read;
  const fields = {
    provider: push.provider,
    verified: read.verified,
    repos: [...read.repos.values()].map((url) => printable(url, 200)),
    ref: push.ref === undefined ? undefined : printable(push.ref),
    revision: push.revision === undefined ? undefined : printable(push.revision),
    sender: push.sender === undefined ? undefined : printable(push.sender),
  };
  if (queued.length === 0) log.info(fields, 'webhook push matches no application');
  else log.info({ ...fields, queued }, 'webhook push queued applications');
  return { status: 200, body: { queued } };
}
