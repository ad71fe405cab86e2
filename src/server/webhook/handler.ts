/**
 * The webhook receiver's core, free of HTTP framework: detect the provider, authenticate,
 * read the push, and queue the applications that use the pushed repository.
 */
import { compareCodeUnits } from '../../api/text.js';
import { normalizeRepoUrl, redactUrl } from '../../git/index.js';
import { decodeBody } from './decode-body.js';
import { printable, pushReason } from './describe-push.js';
import { detectProvider } from './registry.js';
import type {
  AsyncWebhookTarget,
  ProviderAdapter,
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
  /**
   * Providers already warned about accepting unsigned requests. The server keeps one set for its
   * lifetime so that each provider is warned about once, not on every push.
   */
  readonly warnedUnsigned?: Set<WebhookProvider>;
}

const silentLogger: WebhookLogger = { info: () => undefined, warn: () => undefined, debug: () => undefined };

export function handleWebhook(
  req: WebhookRequest,
  secrets: WebhookSecrets,
  target: WebhookTarget,
  options: HandleWebhookOptions = {},
): WebhookResponse {
  const log = options.logger ?? silentLogger;
  const read = readPush(req, secrets, options, log);
  if (!read.ok) return read.response;
  const queued = uniqueSorted(target.applicationsFor([...read.repos.keys()]));
  if (queued.length > 0) target.refresh(queued, [...read.repos.values()], pushReason(read.push));
  return answer(read, queued, log);
}

/**
 * The same for a target that answers asynchronously (a standby replica, which asks the API
 * server): the response is sent once the apps are found and their refresh is recorded.
 */
export async function handleWebhookAsync(
  req: WebhookRequest,
  secrets: WebhookSecrets,
  target: WebhookTarget | AsyncWebhookTarget,
  options: HandleWebhookOptions = {},
): Promise<WebhookResponse> {
  const log = options.logger ?? silentLogger;
  const read = readPush(req, secrets, options, log);
  if (!read.ok) return read.response;
  const queued = uniqueSorted(await target.applicationsFor([...read.repos.keys()]));
  if (queued.length > 0) await target.refresh(queued, [...read.repos.values()], pushReason(read.push));
  return answer(read, queued, log);
}

type ReadPush =
  | { readonly ok: false; readonly response: WebhookResponse }
  /** `repos`: normalised URL -> the URL as the payload gave it (credentials removed), one per repository. */
  | { readonly ok: true; readonly push: PushEvent; readonly repos: ReadonlyMap<string, string> };

/** Detects the provider, authenticates the request and reads the push it announces. */
function readPush(req: WebhookRequest, secrets: WebhookSecrets, options: HandleWebhookOptions, log: WebhookLogger): ReadPush {
  const adapter = detectProvider(req.headers);
  if (adapter === undefined) {
    log.debug({}, 'webhook request from no known provider');
    return { ok: false, response: { status: 400, body: { message: 'unrecognised webhook: no Git host event header and no JSON body' } } };
  }
  const provider = adapter.provider;
  const event = printable(adapter.eventName(req.headers));
  if (!authenticated(adapter, req, secrets, { log, warnedUnsigned: options.warnedUnsigned ?? new Set() })) {
    log.warn({ provider, event }, 'webhook rejected: invalid signature');
    return { ok: false, response: { status: 401, body: { message: 'invalid signature' } } };
  }
  if (!adapter.isPushEvent(event)) {
    log.debug({ provider, event }, 'webhook event ignored');
    return { ok: false, response: { status: 200, body: { queued: [], message: `ignored event ${event}` } } };
  }
  const decoded = decodeBody(req.headers, req.body);
  if (!decoded.ok) return { ok: false, response: { status: 400, body: { message: decoded.message } } };
  const push = adapter.parse(decoded.json);
  if (push === undefined) {
    return { ok: false, response: { status: 400, body: { message: `${provider} ${event} payload names no repository` } } };
  }
  // One URL per repository: the payload names each in several forms (https, ssh, web).
  const repos = new Map<string, string>();
  for (const url of push.repoUrls) {
    const key = normalizeRepoUrl(url);
    if (!repos.has(key)) repos.set(key, redactUrl(url));
  }
  return { ok: true, push, repos };
}

/** With a secret set the request must prove it; without one it is accepted, with a warning once per provider. */
function authenticated(
  adapter: ProviderAdapter,
  req: WebhookRequest,
  secrets: WebhookSecrets,
  context: { log: WebhookLogger; warnedUnsigned: Set<WebhookProvider> },
): boolean {
  const secret = secrets[adapter.provider];
  if (secret !== undefined && secret !== '') return adapter.verify(req.headers, req.body, secret);
  if (!context.warnedUnsigned.has(adapter.provider)) {
    context.warnedUnsigned.add(adapter.provider);
    const provider = adapter.provider;
    const advice = `set the "${provider}" key of the capstan-webhook Secret`;
    context.log.warn({ provider }, `webhook requests from ${provider} are not authenticated: ${advice}`);
  }
  return true;
}

function uniqueSorted(keys: readonly string[]): string[] {
  return [...new Set(keys)].sort(compareCodeUnits);
}

function answer(read: { readonly push: PushEvent; readonly repos: ReadonlyMap<string, string> }, queued: string[], log: WebhookLogger): WebhookResponse {
  const { push } = read;
  const fields = {
    provider: push.provider,
    repos: [...read.repos.values()],
    ref: push.ref === undefined ? undefined : printable(push.ref),
    revision: push.revision === undefined ? undefined : printable(push.revision),
    sender: push.sender === undefined ? undefined : printable(push.sender),
  };
  if (queued.length === 0) log.info(fields, 'webhook push matches no application');
  else log.info({ ...fields, queued }, 'webhook push queued applications');
  return { status: 200, body: { queued } };
}

