import type { Application } from '../../api/application.js';
import { trackingIdAnnotation } from '../../api/annotations.js';
import { formatResourceKey, resourceKeyOf, sameResource, type KubeObject, type ResourceKey } from '../../api/object.js';
import { formatAppKey, parseTrackingId } from '../../api/tracking.js';
import type { ResourceInfo } from '../../cluster/discovery.js';
import type { PrunableItem } from '../../sync/plan.js';
import { reasons } from '../../api/conditions.js';
import { isForbidden } from '../../cluster/errors.js';
import { fail, type ReconcileDeps, type StepResult } from '../deps.js';
import { appRef, type PreparedObject } from './prepare.js';

export interface SharedObject {
  readonly key: ResourceKey;
  /** 'ns/name' of the Application that owns it. */
  readonly owner: string;
}

export interface LiveView {
  /** Live objects by formatted resource key, for the desired objects that exist. */
  readonly live: Map<string, KubeObject>;
  /** Desired objects that another Application owns: left alone. */
  readonly shared: SharedObject[];
  /** Objects this app tracks that Git no longer declares. */
  readonly prunable: PrunableItem[];
}

async function kindsToWatch(deps: ReconcileDeps, app: Application, prepared: readonly PreparedObject[]): Promise<ResourceInfo[]> {
  const infos = new Map<string, ResourceInfo>();
  for (const p of prepared) infos.set(`${p.info.group}/${p.info.kind}`, p.info);
  // Kinds deployed before (recorded in status) are watched too, so that what Git dropped can be pruned after a restart.
  for (const r of app.status?.resources ?? []) {
    const id = `${r.group}/${r.kind}`;
    if (infos.has(id)) continue;
    const info = await deps.resources.discovery.resolve(r.group === '' ? r.version : `${r.group}/${r.version}`, r.kind);
    if (info !== undefined) infos.set(id, info);
  }
  return [...infos.values()];
}

/** An object not in the label-selected cache may still exist (made by hand, or by an older tool). */
async function getUnlabelled(deps: ReconcileDeps, p: PreparedObject): Promise<KubeObject | undefined> {
  return deps.resources.get(p.object.apiVersion, p.key.kind, p.key.namespace, p.key.name);
}

/**
 * Reads the live state of the desired objects (from the label-selected cache, or by name for
 * objects not yet labelled), finds objects owned by another app, and the objects this app
 * tracks that Git no longer has. An object is prunable only if its tracking id names this
 * app and this very object.
 */
export async function readLive(deps: ReconcileDeps, app: Application, prepared: readonly PreparedObject[]): Promise<StepResult<LiveView>> {
  try {
    return { ok: true, value: await readLiveView(deps, app, prepared) };
  } catch (err) {
    if (isForbidden(err)) return fail(reasons.permissionDenied, `not allowed to read what this app manages; nothing was applied: ${err instanceof Error ? err.message : String(err)}`);
    throw err;
  }
}

async function readLiveView(deps: ReconcileDeps, app: Application, prepared: readonly PreparedObject[]): Promise<LiveView> {
  await deps.live.watch(await kindsToWatch(deps, app, prepared));
  const self = formatAppKey(appRef(app));
  const live = new Map<string, KubeObject>();
  const shared: SharedObject[] = [];
  await Promise.all(prepared.map(async (p) => {
    const found = deps.live.get({ ...p.key, version: p.info.version })
      ?? (await getUnlabelled(deps, p));
    if (found === undefined) return;
    const owner = parseTrackingId(found.metadata.annotations?.[trackingIdAnnotation] ?? '');
    if (owner !== undefined && formatAppKey(owner.app) !== self) {
      shared.push({ key: p.key, owner: formatAppKey(owner.app) });
      return;
    }
    live.set(formatResourceKey(p.key), found);
  }));
  const desired = new Set(prepared.map((p) => formatResourceKey(p.key)));
  const prunable: PrunableItem[] = [];
  for (const obj of deps.live.trackedBy(self)) {
    const parsed = parseTrackingId(obj.metadata.annotations?.[trackingIdAnnotation] ?? '');
    const key = resourceKeyOf(obj);
    if (parsed === undefined || !sameResource(parsed.key, key)) continue; // a copy of a tracked object: not ours to delete
    if (desired.has(formatResourceKey(key)) || obj.metadata.deletionTimestamp !== undefined) continue;
    prunable.push({ key, object: obj });
  }
  return { live, shared, prunable };
}
