import { Agent, request, type RequestOptions } from 'node:https';
import { request as plainRequest, Agent as PlainAgent } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeApiError, KubeConnectionError, NotLeaderError } from './errors.js';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';

export interface RequestSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly query?: Record<string, string | number | boolean | undefined>;
  readonly body?: unknown;
  readonly contentType?: string;
  /** Verb for metrics (defaults from the method). */
  readonly verb?: Verb;
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
}

const defaultVerb: Record<RequestSpec['method'], Verb> = { GET: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/**
 * The one HTTP client of the API server: JSON in and out, raw objects (no model classes, so
 * nothing is dropped or converted), keep-alive connections, credentials from the kubeconfig.
 */
export class KubeHttp {
  private readonly server: URL;
  private agent: Agent | PlainAgent | undefined;
  private agentKey = '';

  constructor(
    private readonly kc: KubeConfig,
    private readonly observe?: RequestObserver,
    private readonly options: KubeHttpOptions = {},
  ) {
    const cluster = kc.getCurrentCluster();
    if (cluster === null) throw new Error('kubeconfig has no current cluster');
    this.server = new URL(cluster.server);
  }

  get serverUrl(): string {
    return this.server.toString();
  }

  /** Sends one request and parses the JSON answer; a non-2xx answer throws KubeApiError. */
  async json<T = unknown>(spec: RequestSpec): Promise<T> {
    const started = Date.now();
    const verb = spec.verb ?? defaultVerb[spec.method];
    let status = 0;
    try {
      const res = await this.open(spec);
      status = res.statusCode ?? 0;
      const text = await readBody(res);
      const body: unknown = text === '' ? undefined : parseJson(text);
      if (status < 200 || status > 299) throw KubeApiError.fromResponse(status, spec.method, spec.path, body);
      return body as T;
    } finally {
      this.observe?.(verb, status, Date.now() - started);
    }
  }

  /** Opens a streaming GET (watch); the caller reads the response and aborts through `signal`. */
  async stream(spec: Omit<RequestSpec, 'method'>): Promise<IncomingMessage> {
    const res = await this.open({ ...spec, method: 'GET', timeoutMs: spec.timeoutMs ?? 0 });
    this.observe?.(spec.verb ?? 'watch', res.statusCode ?? 0, 0);
    if ((res.statusCode ?? 0) !== 200) {
      const text = await readBody(res);
      throw KubeApiError.fromResponse(res.statusCode ?? 0, 'GET', spec.path, text === '' ? undefined : parseJson(text));
    }
    return res;
  }

  private async open(spec: RequestSpec): Promise<IncomingMessage> {
    if (spec.method !== 'GET' && this.options.writeGate?.() === false) {
      throw new NotLeaderError(`${spec.method} ${spec.path} refused: this replica no longer holds the leader lease`);
    }
    const url = new URL(spec.path, this.server);
    for (const [k, v] of Object.entries(spec.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const opts: RequestOptions = {};
    await this.kc.applyToHTTPSOptions(opts);
    const headers: Record<string, string> = { Accept: 'application/json' };
    for (const [k, v] of Object.entries(opts.headers ?? {})) if (typeof v === 'string') headers[k] = v;
    let payload: string | undefined;
    if (spec.body !== undefined) {
      payload = JSON.stringify(spec.body);
      headers['Content-Type'] = spec.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    const isHttps = url.protocol === 'https:';
    const agent = this.agentFor(opts, isHttps);
    const send = isHttps ? request : plainRequest;
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = send(url, { method: spec.method, headers, agent, ...(spec.signal ? { signal: spec.signal } : {}) }, resolve);
      const timeout = spec.timeoutMs ?? 60_000;
      if (timeout > 0) req.setTimeout(timeout, () => req.destroy(new Error(`timed out after ${timeout} ms`)));
      req.on('error', (err) => {
        reject(err.name === 'AbortError' ? err : new KubeConnectionError(`${spec.method} ${url.pathname}: ${err.message}`, { cause: err }));
      });
      req.end(payload);
    });
  }

  private agentFor(opts: RequestOptions, isHttps: boolean): Agent | PlainAgent {
    const key = JSON.stringify([opts.ca, opts.cert, opts.key, opts.rejectUnauthorized]);
    if (this.agent === undefined || key !== this.agentKey) {
      this.agent?.destroy();
      this.agent = isHttps
        ? new Agent({
            keepAlive: true, maxSockets: 32,
            ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
            ...(opts.cert !== undefined ? { cert: opts.cert } : {}),
            ...(opts.key !== undefined ? { key: opts.key } : {}),
            ...(opts.rejectUnauthorized !== undefined ? { rejectUnauthorized: opts.rejectUnauthorized } : {}),
          })
        : new PlainAgent({ keepAlive: true, maxSockets: 32 });
      this.agentKey = key;
    }
    return this.agent;
  }

  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    res.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
