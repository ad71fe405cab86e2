// What the Application view and a click on a tree node read of the live cluster, with the
// signed-in user's credentials: what they may not read is left out and said.
import type { Application, ResourceStatus } from '../api/application.js';
import { isRecord, type KubeObject } from '../api/object.js';
import type { AppClient } from '../cli/app/client.js';
import { redactApplication } from '../cli/app/redact.js';
import { isInCluster } from '../clusters/registry.js';
import { isForbidden } from '../cluster/errors.js';
import { assessHealth } from '../health/registry.js';
import type { AppDetail, EventSummary, ResourceDetail } from './api-types.js';
import { redactManifest } from './summary.js';
import { buildTree } from './tree.js';

/** Kinds whose objects are owned by others (Deployment → ReplicaSet → Pod, CronJob → Job → Pod, Service → EndpointSlice). */
export const ownedKinds = [
  { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
  { apiVersion: 'v1', kind: 'Pod' },
  { apiVersion: 'batch/v1', kind: 'Job' },
  { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' },
] as const;

/** More managed objects than this are shown without live children (each needs a read). */
const maxLiveReads = 300;
const readConcurrency = 8;

const apiVersionOf = (r: { group: string; version: string }): string => (r.group === '' ? r.version : `${r.group}/${r.version}`);

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Reads `fn`; a 403 becomes undefined and a note of what could not be read. */
async function readable<T>(notes: Set<string>, what: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    if (!isForbidden(err)) throw err;
    notes.add(`not permitted to read ${what}`);
    return undefined;
  }
}

/** The namespaces whose owned objects the tree shows: the destination's and those of the managed objects. */
export function treeNamespaces(app: Application): string[] {
  const managed = (app.status?.resources ?? []).slice(0, maxLiveReads).map((r) => r.namespace).filter((n) => n !== '');
  return [...new Set([...managed, ...(app.spec.destination.namespace !== undefined ? [app.spec.destination.namespace] : [])])];
}

export async function appDetail(client: AppClient, namespace: string, name: string): Promise<AppDetail> {
  const app = await client.get(namespace, name);
  const resources = app.status?.resources ?? [];
  const shown = redactApplication(app);
  if (!isInCluster(app.spec.destination)) {
    return { app: shown, tree: buildTree(resources, [], [], () => null), treeNote: `the live objects of cluster ${app.spec.destination.name ?? app.spec.destination.server ?? ''} are not shown: the dashboard reads the cluster it runs against` };
  }
  const notes = new Set<string>();
  const managed = resources.slice(0, maxLiveReads);
  const live = await mapLimited(managed, readConcurrency, (r) =>
    readable(notes, `${r.kind} objects`, () => client.resources.get(apiVersionOf(r), r.kind, r.namespace, r.name)).catch(() => undefined));
  const namespaces = treeNamespaces(app);
  const candidates = (await Promise.all(namespaces.flatMap((ns) => ownedKinds.map(async (k) => {
    const info = await client.resources.discovery.resolve(k.apiVersion, k.kind);
    if (info === undefined) return [];
    const listed = await readable(notes, `${k.kind} objects in ${ns}`, () => client.resources.list(info, { namespace: ns }));
    return listed?.items ?? [];
  })))).flat();
  if (resources.length > maxLiveReads) notes.add(`only the first ${maxLiveReads} of ${resources.length} objects are shown with what they own`);
  const tree = buildTree(resources, live.filter((o): o is KubeObject => o !== undefined), candidates, assessHealth);
  return { app: shown, tree, ...(notes.size > 0 ? { treeNote: [...notes].join('; ') } : {}) };
}

function eventSummary(e: KubeObject): EventSummary {
  const count = typeof e['count'] === 'number' ? e['count'] : 1;
  const series = isRecord(e['series']) ? e['series'] : undefined;
  const lastSeen = [e['lastTimestamp'], series?.['lastObservedTime'], e['eventTime'], e.metadata.creationTimestamp].find((t): t is string => typeof t === 'string');
  return {
    type: typeof e['type'] === 'string' ? e['type'] : 'Normal', reason: typeof e['reason'] === 'string' ? e['reason'] : '',
    message: typeof e['message'] === 'string' ? e['message'] : '', count, ...(lastSeen !== undefined ? { lastSeen } : {}),
  };
}

/** The Events of one object, newest first. */
export async function objectEvents(client: AppClient, obj: { kind: string; namespace: string; name: string; uid?: string }): Promise<EventSummary[]> {
  const info = await client.resources.discovery.resolve('v1', 'Event');
  if (info === undefined) return [];
  const fieldSelector = obj.uid !== undefined ? `involvedObject.uid=${obj.uid}` : `involvedObject.kind=${obj.kind},involvedObject.name=${obj.name}`;
  const listed = await client.resources.list(info, { ...(obj.namespace !== '' ? { namespace: obj.namespace } : {}), fieldSelector });
  return listed.items.map(eventSummary).sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''));
}

export interface ResourceQuery {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/** Whether the app manages the object (it is in status.resources). */
export function managedBy(app: Application, q: ResourceQuery): ResourceStatus | undefined {
  return app.status?.resources?.find((r) => r.group === q.group && r.kind === q.kind && r.namespace === q.namespace && r.name === q.name);
}

/** The live object and its Events; `diff` is added by the caller for a managed object. */
export async function resourceDetail(client: AppClient, q: ResourceQuery): Promise<Omit<ResourceDetail, 'diff'>> {
  const obj = await client.resources.get(apiVersionOf(q), q.kind, q.namespace, q.name);
  const events = await objectEvents(client, { kind: q.kind, namespace: q.namespace, name: q.name, ...(obj?.metadata.uid !== undefined ? { uid: obj.metadata.uid } : {}) })
    .catch((err: unknown) => { if (isForbidden(err)) return []; throw err; });
  return { manifest: obj === undefined ? null : redactManifest(obj), events };
}
