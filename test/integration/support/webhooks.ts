/** Pushes in each Git host's format, a controller process with its webhook and metrics ports, and metric reads. */
import { createHmac, randomUUID } from 'node:crypto';
import { freePorts } from '../../cluster/ports.js';
import { ControllerProcess } from './controller-process.js';
import { eventually } from './kube.js';

export interface WebhookController {
  readonly process: ControllerProcess;
  readonly webhookUrl: string;
  readonly metricsUrl: string;
  readonly port: number;
}

/** Starts `capstan controller` with --webhook-addr and --metrics-addr on free ports, and waits until it is ready. */
export async function startWebhookController(options: { namespace: string; name: string; cacheDir: string; extraArgs?: string[] }): Promise<WebhookController> {
  const [webhookPort = 0, metricsPort = 0] = await freePorts(2);
  const process = new ControllerProcess({
    namespace: options.namespace, name: options.name, cacheDir: options.cacheDir, interval: '10m',
    extraArgs: ['--webhook-addr', `127.0.0.1:${webhookPort}`, '--metrics-addr', `127.0.0.1:${metricsPort}`, ...(options.extraArgs ?? [])],
  });
  const metricsUrl = `http://127.0.0.1:${metricsPort}`;
  await eventually('the controller to be ready', async () => ((await fetch(`${metricsUrl}/readyz`)).status === 200 ? true : undefined), 30_000);
  return { process, webhookUrl: `http://127.0.0.1:${webhookPort}/api/webhook`, metricsUrl, port: webhookPort };
}

export async function stopController(controller: WebhookController | undefined): Promise<void> {
  if (controller === undefined) return;
  await controller.process.stop(15_000);
}

/** The sum of every series of `name` whose labels include `labels` (0 when there is none). */
export async function metric(controller: WebhookController, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${controller.metricsUrl}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const have = new Map([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1] ?? '', m[2] ?? '']));
    if (Object.entries(labels).every(([k, v]) => have.get(k) === v)) sum += Number(match[3]);
  }
  return sum;
}

export type Provider = 'github' | 'gitlab' | 'gitea' | 'bitbucket' | 'generic';

export interface Push {
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * A push of `sha` to refs/heads/main of `repoURL`, as `provider` sends it; signed (or with the
 * token) when `secret` is given. `extra` is merged into the payload (e.g. to make bodies differ).
 */
export function pushOf(provider: Provider, repoURL: string, sha: string, options: { secret?: string; delivery?: string; sender?: string; extra?: Record<string, unknown> } = {}): Push {
  const delivery = options.delivery ?? randomUUID();
  const sender = options.sender ?? 'octocat';
  const hubLike = { ref: 'refs/heads/main', before: '0'.repeat(40), after: sha, repository: { clone_url: repoURL }, sender: { login: sender }, ...options.extra };
  const payloads: Record<Provider, unknown> = {
    github: hubLike,
    gitea: hubLike,
    gitlab: { object_kind: 'push', ref: 'refs/heads/main', checkout_sha: sha, user_username: sender, project: { git_http_url: repoURL }, ...options.extra },
    bitbucket: { repository: { links: { html: { href: repoURL } } }, actor: { nickname: sender }, push: { changes: [{ new: { type: 'branch', name: 'main', target: { hash: sha } } }] }, ...options.extra },
    generic: { repoURL, revision: sha, ref: 'refs/heads/main', sender, ...options.extra },
  };
  const body = JSON.stringify(payloads[provider]);
  const hmac = options.secret === undefined ? undefined : createHmac('sha256', options.secret).update(body).digest('hex');
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  switch (provider) {
    case 'github':
      Object.assign(headers, { 'x-github-event': 'push', 'x-github-delivery': delivery }, hmac === undefined ? {} : { 'x-hub-signature-256': `sha256=${hmac}` });
      break;
    case 'gitea':
      Object.assign(headers, { 'x-gitea-event': 'push', 'x-github-event': 'push', 'x-gitea-delivery': delivery }, hmac === undefined ? {} : { 'x-gitea-signature': hmac });
      break;
    case 'gitlab':
      Object.assign(headers, { 'x-gitlab-event': 'Push Hook', 'x-gitlab-event-uuid': delivery }, options.secret === undefined ? {} : { 'x-gitlab-token': options.secret });
      break;
    case 'bitbucket':
      Object.assign(headers, { 'x-event-key': 'repo:push', 'x-request-uuid': delivery }, hmac === undefined ? {} : { 'x-hub-signature': `sha256=${hmac}` });
      break;
    case 'generic':
      Object.assign(headers, { 'x-capstan-delivery': delivery }, hmac === undefined ? {} : { 'x-capstan-signature': `sha256=${hmac}` });
      break;
  }
  return { headers, body };
}

export async function post(controller: WebhookController, push: Push): Promise<{ status: number; json: unknown; ms: number }> {
  const started = performance.now();
  const res = await fetch(controller.webhookUrl, { method: 'POST', headers: push.headers, body: push.body });
  const json: unknown = await res.json();
  return { status: res.status, json, ms: performance.now() - started };
}
