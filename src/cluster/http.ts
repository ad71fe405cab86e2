import { Agent, request, type AgentOptions, type RequestOptions } from 'node:https';
import { request as plainRequest, Agent as PlainAgent } from 'node:http';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeApiError, KubeConnectionError, KubeTimeoutError, NotLeaderError } from './errors.js';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';

export interface RequestSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly query?: Record<string, string | number | boolean | undefined>;
  readonly body?: unknown;
  readonly contentType?: string;
  /** Verb for metrics (defaults from the method). */
  readonly verb?: Verb;
  /**
   * For `json`: the whole request, from the call until the body has been read, including the
   * wait for a free connection; default 60 s, 0 for none. For `stream`: the wait for the
   * response headers only; default none.
   */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export type RequestObserver = (verb: Verb, status: number, durationMs: number) => void;

export interface KubeHttpOptions {
  /**
   * Asked before every request that is not a GET: false refuses the request (NotLeaderError)
   * without sending it. A leader that lost its lease thus writes nothing more.
   */
  readonly writeGate?: () => boolean;
  /**
   * How long the credentials read from the kubeconfig (certificates, token, exec plugin output)
   * are reused before they are read again; default 30 s. A 401 answer drops them at once.
   */
  readonly credentialsTtlMs?: number;
  /** The clock, in milliseconds (tests inject one). */
  readonly now?: () => number;
}

/** Connections of the pool that ordinary (non-streaming) requests share. */
export const maxPooledSockets = 32;

const defaultVerb: Record<RequestSpec['method'], Verb> = { GET: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/** What the kubeconfig yields for a request: auth headers and the TLS settings of the agents. */
interface Credentials {
  readonly readAt: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly tls: AgentOptions;
  /** Identifies `tls`; the agents are rebuilt when it changes. */
  readonly tlsKey: string;
}

interface Agents {
  readonly tlsKey: string;
  /** Keep-alive pool of ordinary requests, at most `maxPooledSockets` connections. */
  readonly pooled: Agent | PlainAgent;
  /** Watches: one connection each, never capped, so no number of watches delays other requests. */
  readonly streaming: Agent | PlainAgent;
}

/**
 * The one HTTP client of the API server: JSON in and out, raw objects (no model classes, so
 * nothing is dropped or converted), keep-alive connections, credentials from the kubeconfig.
 * Streams (watches) run on connections of their own, apart from the pool of ordinary requests.
 */
export class KubeHttp {
  private readonly server: URL;
  private readonly isHttps: boolean;
  private agents: Agents | undefined;
  private credentials: Credentials | undefined;
  private reading: Promise<Credentials> | undefined;
  private readonly now: () => number;
  /** The client whose credentials and connections this one shares (itself, unless it impersonates); set once, at creation. */
  private root: KubeHttp = this;
  /** Headers every request of this client carries (impersonation); set once, at creation. */
  private extraHeaders: Readonly<Record<string, string>> = {};

  constructor(
    private readonly kc: KubeConfig,
    private readonly observe?: RequestObserver,
    private readonly options: KubeHttpOptions = {},
  ) {
    const cluster = kc.getCurrentCluster();
    if (cluster === null) throw new Error('kubeconfig has no current cluster');
    this.server = new URL(cluster.server);
    this.isHttps = this.server.protocol === 'https:';
    this.now = options.now ?? Date.now;
  }

  /**
   * A client that acts as `user` (Impersonate-User): same credentials and connections, every
   * request authorized by the API server as that user. The kubeconfig's identity needs the
   * `impersonate` verb on it.
   */
  impersonating(user: string): KubeHttp {
    const child = new KubeHttp(this.kc, this.observe, this.options);
    child.root = this.root;
    child.extraHeaders = { ...this.extraHeaders, 'Impersonate-User': user };
    return child;
  }

  get serverUrl(): string {
    return this.server.toString();
  }

  /** Sends one request and parses the JSON answer; a non-2xx answer throws KubeApiError. */
  async json<T = unknown>(spec: RequestSpec): Promise<T> {
    const started = Date.now();
    const verb = spec.verb ?? defaultVerb[spec.method];
    const timeoutMs = spec.timeoutMs ?? 60_000;
    const scope = new RequestScope(spec.signal, timeoutMs);
    let status = 0;
    try {
      const res = await this.open(spec, 'pooled', scope.signal);
      status = res.statusCode ?? 0;
      const text = await readBody(res, scope.signal);
      const body: unknown = text === '' ? undefined : parseJson(text);
      if (status < 200 || status > 299) throw KubeApiError.fromResponse(status, spec.method, spec.path, body);
      return body as T;
    } catch (err) {
      if (scope.timedOut) throw new KubeTimeoutError(`${spec.method} ${spec.path}: timed out after ${timeoutMs} ms`, { cause: err });
      throw err;
    } finally {
      scope.dispose();
      this.observe?.(verb, status, Date.now() - started);
    }
  }

  /** Opens a streaming GET (watch); the caller reads the response and aborts through `signal`. */
  async stream(spec: Omit<RequestSpec, 'method'>): Promise<IncomingMessage> {
    const timeoutMs = spec.timeoutMs ?? 0;
    const scope = new RequestScope(spec.signal, timeoutMs);
    let res: IncomingMessage;
    try {
      res = await this.open({ ...spec, method: 'GET' }, 'streaming', scope.signal);
    } catch (err) {
      scope.dispose();
      // A watch that could not be opened is a request without an answer (status 0), as for json().
      this.observe?.(spec.verb ?? 'watch', 0, 0);
      if (scope.timedOut) throw new KubeTimeoutError(`GET ${spec.path}: no response after ${timeoutMs} ms`, { cause: err });
      throw err;
    }
    // From here on only the caller's signal ends the stream.
    scope.stopTimer();
    this.observe?.(spec.verb ?? 'watch', res.statusCode ?? 0, 0);
    if ((res.statusCode ?? 0) !== 200) {
      try {
        const text = await readBody(res, scope.signal);
        throw KubeApiError.fromResponse(res.statusCode ?? 0, 'GET', spec.path, text === '' ? undefined : parseJson(text));
      } finally {
        scope.dispose();
      }
    }
    res.once('close', () => {
      scope.dispose();
    });
    return res;
  }

  private async open(spec: RequestSpec, pool: 'pooled' | 'streaming', signal: AbortSignal): Promise<IncomingMessage> {
    if (spec.method !== 'GET' && this.options.writeGate?.() === false) {
      throw new NotLeaderError(`${spec.method} ${spec.path} refused: this replica no longer holds the leader lease`);
    }
    const url = new URL(spec.path, this.server);
    for (const [k, v] of Object.entries(spec.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    // An exec plugin that hangs counts against the deadline too.
    const credentials = await untilAborted(this.root.currentCredentials(), signal);
    const headers: Record<string, string> = { Accept: 'application/json', ...credentials.headers, ...this.extraHeaders };
    let payload: string | undefined;
    if (spec.body !== undefined) {
      payload = JSON.stringify(spec.body);
      headers['Content-Type'] = spec.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    const agent = this.root.agentsFor(credentials)[pool];
    const send = this.isHttps ? request : plainRequest;
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req: ClientRequest = send(url, { method: spec.method, headers, agent }, resolve);
      // Handled here rather than by the request's own `signal`: a request still queued for a
      // connection emits nothing when destroyed, and must fail at once all the same.
      signal.addEventListener('abort', () => {
        reject(new DOMException('This operation was aborted', 'AbortError'));
        req.destroy();
      }, { once: true });
      req.on('error', (err) => {
        reject(err.name === 'AbortError' ? err : new KubeConnectionError(`${spec.method} ${url.pathname}: ${err.message}`, { cause: err }));
      });
      req.end(payload);
    });
    // Rotated credentials (a token file, an exec plugin) are read again on the next request.
    if (res.statusCode === 401 && this.root.credentials === credentials) this.root.credentials = undefined;
    return res;
  }

  /** The kubeconfig's credentials, read at most once per `credentialsTtlMs`. */
  private async currentCredentials(): Promise<Credentials> {
    const ttl = this.options.credentialsTtlMs ?? 30_000;
    const cached = this.credentials;
    if (cached !== undefined && this.now() - cached.readAt < ttl) return cached;
    this.reading ??= this.readCredentials().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  private async readCredentials(): Promise<Credentials> {
    const opts: RequestOptions = {};
    await this.kc.applyToHTTPSOptions(opts);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.headers ?? {})) if (typeof v === 'string') headers[k] = v;
    const tls: AgentOptions = {
      ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
      ...(opts.cert !== undefined ? { cert: opts.cert } : {}),
      ...(opts.key !== undefined ? { key: opts.key } : {}),
      ...(opts.rejectUnauthorized !== undefined ? { rejectUnauthorized: opts.rejectUnauthorized } : {}),
      ...(opts.servername !== undefined ? { servername: opts.servername } : {}),
    };
    const credentials = { readAt: this.now(), headers, tls, tlsKey: JSON.stringify([tls.ca, tls.cert, tls.key, tls.rejectUnauthorized, tls.servername]) };
    this.credentials = credentials;
    return credentials;
  }

  private agentsFor(credentials: Credentials): Agents {
    if (this.agents?.tlsKey === credentials.tlsKey) return this.agents;
    this.destroyAgents();
    const make = (maxSockets: number): Agent | PlainAgent =>
      this.isHttps ? new Agent({ keepAlive: true, maxSockets, ...credentials.tls }) : new PlainAgent({ keepAlive: true, maxSockets });
    this.agents = { tlsKey: credentials.tlsKey, pooled: make(maxPooledSockets), streaming: make(Infinity) };
    return this.agents;
  }

  private destroyAgents(): void {
    this.agents?.pooled.destroy();
    this.agents?.streaming.destroy();
    this.agents = undefined;
  }

  /** Closes every connection, streams included. */
  close(): void {
    this.destroyAgents();
    this.credentials = undefined;
  }
}

/**
 * The signal of one request: aborted by the caller's signal or when the deadline passes.
 * The deadline starts with the call, so it also covers the wait for a free connection.
 */
class RequestScope {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  timedOut = false;
  private readonly onParentAbort = (): void => {
    this.controller.abort();
  };

  constructor(private readonly parent: AbortSignal | undefined, timeoutMs: number) {
    if (parent?.aborted === true) this.controller.abort();
    else parent?.addEventListener('abort', this.onParentAbort, { once: true });
    if (timeoutMs > 0) {
      this.timer = setTimeout(() => {
        this.timedOut = true;
        this.controller.abort();
      }, timeoutMs);
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  stopTimer(): void {
    clearTimeout(this.timer);
  }

  dispose(): void {
    this.stopTimer();
    this.parent?.removeEventListener('abort', this.onParentAbort);
  }
}

/** `promise`, or an AbortError as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      reject(new DOMException('This operation was aborted', 'AbortError'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => {
      signal.removeEventListener('abort', onAbort);
    });
  });
}

function readBody(res: IncomingMessage, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const onAbort = (): void => {
      res.destroy();
      reject(new DOMException('The operation was aborted', 'AbortError'));
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      signal.removeEventListener('abort', onAbort);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    res.on('error', (err) => {
      signal.removeEventListener('abort', onAbort);
      reject(err);
    });
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
