// Live updates as server-sent events: a watch of Applications (list-then-watch, the controller's
// own Informer) with the signed-in user's credentials, one per open page.
import type { SSEStreamingApi } from 'hono/streaming';
import { isApplication } from '../cluster/applications.js';
import { Informer } from '../cluster/informer.js';
import { errorMessage } from './errors.js';
import type { AppClient } from '../cli/app/client.js';
import type { AppEvent, AppListEvent } from './api-types.js';
import { summarize } from './summary.js';
import { redactApplication } from '../cli/app/redact.js';
import type { Application } from '../api/application.js';
import { isInCluster } from '../clusters/registry.js';
import { ownedKinds, treeNamespaces } from './detail.js';

/** A comment line this often keeps proxies and the browser from closing an idle stream. */
const keepAliveMs = 15_000;

/** Sends events in order; a write to a closed stream is dropped. */
function sender(stream: SSEStreamingApi): (event: AppListEvent | AppEvent) => void {
  let chain = Promise.resolve();
  return (event) => {
    chain = chain.then(() => stream.writeSSE({ data: JSON.stringify(event) })).catch(() => undefined);
  };
}

/** Runs `informer` for as long as the stream is open: `onSynced` sends the first state, `onEvent` each change after it. */
async function follow(stream: SSEStreamingApi, informer: Informer, onSynced: () => void, onError: (message: string) => void): Promise<void> {
  const closed = new Promise<void>((resolve) => { stream.onAbort(resolve); });
  const keepAlive = setInterval(() => { stream.write(': keep-alive\n\n').catch(() => undefined); }, keepAliveMs);
  informer.start();
  try {
    await Promise.race([informer.synced.then(onSynced), closed]);
  } catch (err) {
    onError(errorMessage(err));
  }
  await closed;
  clearInterval(keepAlive);
  await informer.stop();
}

/** `GET /api/apps/stream`: a snapshot of every Application the user may list, then each change. */
export async function streamAppList(stream: SSEStreamingApi, client: AppClient, namespace: string | undefined): Promise<void> {
  const send = sender(stream);
  const informer = new Informer(client.http, client.resources, await client.applications(), namespace === undefined ? {} : { namespace });
  let live = false;
  informer.onChange((type, obj) => {
    if (!live || !isApplication(obj)) return;
    if (type === 'DELETED') send({ type: 'delete', namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' });
    else send({ type: 'upsert', app: summarize(obj) });
  });
  await follow(stream, informer, () => {
    live = true;
    send({ type: 'snapshot', apps: informer.list().filter(isApplication).map(summarize) });
  }, (message) => { send({ type: 'error', message }); });
}

/** At most one `tree` event a second: a rollout changes many Pods at once. */
const treeEventMs = 1_000;

/**
 * Watches the kinds the tree shows under managed objects (ReplicaSets, Pods…) in the app's
 * namespaces, with the user's credentials, and calls `changed` (throttled) after each change.
 * What the user may not watch is left out. Returns a stop function.
 */
async function watchOwned(client: AppClient, app: Application, changed: () => void): Promise<() => Promise<void>> {
  if (!isInCluster(app.spec.destination)) return () => Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const throttled = (): void => { timer ??= setTimeout(() => { timer = undefined; changed(); }, treeEventMs); };
  const informers: Informer[] = [];
  for (const ns of treeNamespaces(app)) {
    for (const k of ownedKinds) {
      const info = await client.resources.discovery.resolve(k.apiVersion, k.kind);
      if (info === undefined) continue;
      const informer = new Informer(client.http, client.resources, info, { namespace: ns });
      informer.onChange(() => { if (informer.hasSynced) throttled(); });
      informer.start();
      informers.push(informer);
    }
  }
  return async () => {
    clearTimeout(timer);
    await Promise.all(informers.map((i) => i.stop()));
  };
}

/** `GET /api/apps/:namespace/:name/stream`: the Application now and after each change, and `tree` when what it owns changes. */
export async function streamApp(stream: SSEStreamingApi, client: AppClient, namespace: string, name: string): Promise<void> {
  const send = sender(stream);
  const informer = new Informer(client.http, client.resources, await client.applications(), { namespace, fieldSelector: `metadata.name=${name}` });
  let live = false;
  let stopOwned: Promise<() => Promise<void>> | undefined;
  informer.onChange((type, obj) => {
    if (!live || !isApplication(obj)) return;
    send(type === 'DELETED' ? { type: 'delete' } : { type: 'app', app: redactApplication(obj) });
  });
  await follow(stream, informer, () => {
    live = true;
    const app = informer.list().find(isApplication);
    send(app === undefined ? { type: 'delete' } : { type: 'app', app: redactApplication(app) });
    if (app !== undefined && !stream.aborted) stopOwned = watchOwned(client, app, () => { send({ type: 'tree' }); });
  }, (message) => { send({ type: 'error', message }); });
  if (stopOwned !== undefined) await (await stopOwned.catch(() => () => Promise.resolve()))();
}
