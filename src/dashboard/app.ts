// The dashboard's HTTP routes: sign-in, the JSON API, live streams and the built front end.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { Hono, type Context } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { streamSSE } from 'hono/streaming';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Logger } from 'pino';
import type { AppClient } from '../cli/app/client.js';
import { computeAppDiff } from '../cli/app/diff.js';
import { RepoCache } from '../git/repo-cache.js';
import { bodyLimit } from 'hono/body-limit';
import { rollbackApp, refreshApp, syncApp, terminateApp } from './actions.js';
import { requestHeader, type ApiError, type LoginBody, type SessionInfo } from './api-types.js';
import { appDetail, managedBy, resourceDetail, type ResourceQuery } from './detail.js';
import { BadRequestError, errorStatus, errorText } from './errors.js';
import { signInWithToken } from './identity.js';
import { loggingIO } from './logging-io.js';
import { sameSecret, sessionCookie, sessionTtlMs, SessionStore, type Session } from './sessions.js';
import { streamApp, streamAppList } from './streams.js';

export type DashboardAuth =
  /** The server's own kubeconfig; the browser signs in once with the token of the printed URL. */
  | { readonly mode: 'local'; readonly client: AppClient; readonly user: string; readonly loginToken: string }
  /** No rights of its own: each user signs in with a bearer token, which every call carries. */
  | { readonly mode: 'token'; readonly base: KubeConfig };

export interface DashboardOptions {
  readonly auth: DashboardAuth;
  /** The built front end (index.html and its assets). */
  readonly assetsDir: string;
  /** Only Applications of this namespace; all namespaces when undefined. */
  readonly namespace?: string;
  /** Where Git clones for diffs are kept. */
  readonly cacheDir?: string;
  readonly allowLocalRepos?: boolean;
  readonly logger: Logger;
  /** Bound to a loopback address: answer only requests addressed to a loopback name. */
  readonly loopbackOnly?: boolean;
}

function isLoopbackHost(host: string): boolean {
  try {
    const name = new URL(`http://${host}`).hostname;
    return name === '127.0.0.1' || name === 'localhost' || name === '[::1]';
  } catch {
    return false;
  }
}

type Env = { Variables: { session: Session } };

const securityHeaders = {
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

const fail = (c: Context, err: unknown, logger: Logger): Response => {
  const status = errorStatus(err);
  if (status >= 500) logger.warn({ err: errorText(err), path: c.req.path }, 'dashboard request failed');
  return c.json<ApiError>({ error: errorText(err) }, status);
};

async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  const body: unknown = await c.req.json().catch(() => ({}));
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

export interface Dashboard {
  readonly app: Hono<Env>;
  /** Ends every session (closing their clients). */
  close(): void;
}

export function createDashboard(options: DashboardOptions): Dashboard {
  const { auth, logger } = options;
  const sessions = new SessionStore((client) => { if (auth.mode === 'token') client.close(); });
  let loginTokenUsed = false;
  // Secure when the browser reached the dashboard over HTTPS (a TLS ingress in front of it).
  const cookieOptions = (c: Context) => ({
    httpOnly: true, sameSite: 'Strict', path: '/', maxAge: Math.floor(sessionTtlMs / 1000),
    secure: c.req.header('x-forwarded-proto') === 'https' || new URL(c.req.url).protocol === 'https:',
  } as const);
  const cacheDir = options.cacheDir ?? join(homedir(), '.cache', 'capstan', 'dashboard');
  const allowLocalRepos = options.allowLocalRepos ?? false;
  const diffOptions = { cacheDir, allowLocalRepos, repos: new RepoCache({ cacheDir, allowLocalRepos }) };
  const io = loggingIO(logger);
  const app = new Hono<Env>();

  app.use('*', async (c, next) => {
    await next();
    for (const [k, v] of Object.entries(securityHeaders)) c.header(k, v);
  });
  app.get('/healthz', (c) => c.text('ok'));
  // Bound to loopback: a page of another site that resolves its own name to 127.0.0.1 (DNS rebinding) is refused.
  if (options.loopbackOnly === true) {
    app.use('*', async (c, next) => {
      if (!isLoopbackHost(c.req.header('host') ?? '')) return c.text('this dashboard answers only to 127.0.0.1, localhost and [::1]', 403);
      await next();
      return undefined;
    });
  }

  app.use('/api/*', bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.json<ApiError>({ error: 'request body larger than 64 KiB' }, 413) }));

  // Local mode: the printed URL signs the browser in, once.
  app.get('/login', (c) => {
    const token = c.req.query('token') ?? '';
    if (auth.mode !== 'local' || loginTokenUsed || !sameSecret(token, auth.loginToken)) {
      return c.text('This sign-in link is not valid (it works once). Restart `capstan dashboard` for a new one.', 401);
    }
    loginTokenUsed = true;
    setCookie(c, sessionCookie, sessions.create(auth.user, auth.client), cookieOptions(c));
    return c.redirect('/', 302);
  });

  app.post('/api/login', async (c) => {
    if (auth.mode !== 'token') return c.json<ApiError>({ error: 'this dashboard signs in through the URL it printed' }, 400);
    const body = (await jsonBody(c)) as Partial<LoginBody>;
    try {
      const signed = await signInWithToken(auth.base, typeof body.token === 'string' ? body.token : '');
      if (!signed.ok) return c.json<ApiError>({ error: signed.error }, signed.status);
      setCookie(c, sessionCookie, sessions.create(signed.user, signed.client), cookieOptions(c));
      logger.info({ user: signed.user }, 'dashboard sign-in');
      return c.json<SessionInfo>({ mode: 'token', user: signed.user });
    } catch (err) {
      return fail(c, err, logger);
    }
  });

  // Everything else under /api needs a session; a POST also the dashboard's header (no other site's page can send it).
  app.use('/api/*', async (c: Context<Env>, next) => {
    const session = sessions.get(getCookie(c, sessionCookie));
    if (session === undefined) return c.json<ApiError>({ error: 'not signed in' }, 401);
    if (c.req.method !== 'GET' && c.req.header(requestHeader) !== '1') return c.json<ApiError>({ error: `missing header ${requestHeader}` }, 403);
    c.set('session', session);
    await next();
    return undefined;
  });

  app.get('/api/session', (c) => c.json<SessionInfo>({ mode: auth.mode, user: c.var.session.user }));
  app.post('/api/logout', (c) => {
    const id = getCookie(c, sessionCookie);
    if (id !== undefined) sessions.end(id);
    deleteCookie(c, sessionCookie, { path: '/' });
    return c.json({ message: 'signed out' });
  });

  app.get('/api/apps/stream', (c) => streamSSE(c, (stream) => streamAppList(stream, c.var.session.client, options.namespace)));
  app.get('/api/apps/:namespace/:name/stream', (c) => streamSSE(c, (stream) => streamApp(stream, c.var.session.client, c.req.param('namespace'), c.req.param('name'))));

  app.get('/api/apps/:namespace/:name', async (c) => {
    try {
      return c.json(await appDetail(c.var.session.client, c.req.param('namespace'), c.req.param('name')));
    } catch (err) {
      return fail(c, err, logger);
    }
  });

  app.get('/api/apps/:namespace/:name/diff', async (c) => {
    const { client } = c.var.session;
    try {
      const found = await client.get(c.req.param('namespace'), c.req.param('name'));
      return c.json(await computeAppDiff(client.resources, found, diffOptions, io));
    } catch (err) {
      return fail(c, err, logger);
    }
  });

  app.get('/api/apps/:namespace/:name/resource', async (c) => {
    const { client } = c.var.session;
    const q: ResourceQuery = {
      group: c.req.query('group') ?? '', version: c.req.query('version') ?? '', kind: c.req.query('kind') ?? '',
      namespace: c.req.query('namespace') ?? '', name: c.req.query('name') ?? '',
    };
    if (q.version === '' || q.kind === '' || q.name === '') return c.json<ApiError>({ error: 'version, kind and name are required' }, 400);
    try {
      const found = await client.get(c.req.param('namespace'), c.req.param('name'));
      const detail = await resourceDetail(client, q);
      if (managedBy(found, q) === undefined) return c.json(detail);
      const diff = await computeAppDiff(client.resources, found, diffOptions, io).then(
        (d) => d.objects.find((o) => o.group === q.group && o.kind === q.kind && (o.namespace ?? '') === q.namespace && o.name === q.name)?.diff ?? '',
        (err: unknown) => `# the diff could not be computed: ${errorText(err)}\n`,
      );
      return c.json({ ...detail, diff });
    } catch (err) {
      return fail(c, err, logger);
    }
  });

  const act = (path: string, run: (client: AppClient, ns: string, name: string, body: Record<string, unknown>, user: string) => Promise<{ message: string }>): void => {
    app.post(`/api/apps/:namespace/:name/${path}`, async (c) => {
      const { client, user } = c.var.session;
      try {
        const result = await run(client, c.req.param('namespace'), c.req.param('name'), await jsonBody(c), user);
        logger.info({ user, action: path, app: `${c.req.param('namespace')}/${c.req.param('name')}` }, 'dashboard action');
        return c.json(result);
      } catch (err) {
        return fail(c, err, logger);
      }
    });
  };
  act('sync', (client, ns, name, body, user) => syncApp(client, ns, name, { prune: body['prune'] === true, dryRun: body['dryRun'] === true }, user));
  act('refresh', (client, ns, name, body) => refreshApp(client, ns, name, body['hard'] === true));
  act('terminate', (client, ns, name) => terminateApp(client, ns, name));
  act('rollback', (client, ns, name, body) => {
    const id = body['id'];
    if (typeof id !== 'number' || !Number.isInteger(id)) return Promise.reject(new BadRequestError('rollback needs a history entry id (an integer)'));
    return rollbackApp(client, ns, name, id);
  });

  app.use('/*', serveStatic({ root: options.assetsDir }));

  return { app, close: () => { sessions.endAll(); } };
}
