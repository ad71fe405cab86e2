import PQueue from 'p-queue';
import { capstanTracking, type TrackingScheme } from '../api/tracking-scheme.js';
import { formatAppKey } from '../api/tracking.js';
import { formatGvk, type KubeObject } from '../api/object.js';
import type { ResourceInfo } from '../cluster/discovery.js';
import { isForbidden } from '../cluster/errors.js';
import { orphanKindExcluded, type NamespaceObject } from '../projects/index.js';
import type { NamespaceInventory, NamespaceListing } from './ports.js';

export interface NamespaceInventoryOptions {
  /** The namespaced, listable kinds the cluster serves, and the group-versions that could not be read. */
  readonly kinds: () => Promise<{ readonly kinds: readonly ResourceInfo[]; readonly unreadable: readonly string[] }>;
  /** Lists one kind in one namespace (every page). */
  readonly list: (info: ResourceInfo, namespace: string) => Promise<readonly KubeObject[]>;
  /** How managed objects are marked (default Capstan's). */
  readonly tracking?: TrackingScheme;
  readonly now?: () => number;
  /** Kinds listed per namespace at most; default 300. */
  readonly maxKinds?: number;
  /** Objects kept per namespace at most; default 5000. */
  readonly maxObjects?: number;
  /** Lists under way at once (all namespaces); default 4. */
  readonly concurrency?: number;
  /** Namespaces remembered at most, the oldest listing forgotten first; default 256. */
  readonly maxNamespaces?: number;
}

interface Entry {
  readonly at: number;
  readonly listing: Promise<NamespaceListing>;
  /** The listing, once it is complete. */
  done?: NamespaceListing;
}

const describeKind = (info: ResourceInfo): string => `${info.group === '' ? '' : `${info.group}/`}${info.kind}`;

function slim(obj: KubeObject, info: ResourceInfo, namespace: string, tracking: TrackingScheme): NamespaceObject {
  const owner = tracking.trackedAs(obj)?.app;
  return {
    group: info.group, kind: info.kind, name: obj.metadata.name ?? '', namespace,
    owned: (obj.metadata.ownerReferences?.length ?? 0) > 0,
    ...(owner === undefined ? {} : { trackedBy: formatAppKey(owner) }),
  };
}

/**
 * Lists every kind of a namespace once per `maxAgeMs` (one listing shared by the apps of that
 * namespace and by concurrent asks), keeping only what tells whether an app manages each object.
 * Past `maxAgeMs` the previous listing still answers while the namespace is listed again.
 * A kind the controller may not list, or that fails, is skipped and named; a listing never throws.
 * Bounded: kinds, objects, concurrent lists and namespaces remembered.
 */
export class ListedNamespaces implements NamespaceInventory {
  private readonly entries = new Map<string, Entry>();
  private readonly lists: PQueue;
  private readonly now: () => number;

  constructor(private readonly options: NamespaceInventoryOptions) {
    this.now = options.now ?? Date.now;
    this.lists = new PQueue({ concurrency: options.concurrency ?? 4 });
  }

  list(namespace: string, options: { readonly maxAgeMs: number }): Promise<NamespaceListing> {
    const cached = this.entries.get(namespace);
    if (cached !== undefined && this.now() - cached.at < options.maxAgeMs) return cached.done !== undefined ? Promise.resolve(cached.done) : cached.listing;
    const entry: Entry = { at: this.now(), listing: this.listNow(namespace) };
    void entry.listing.then((done) => {
      entry.done = done;
    }, () => undefined);
    this.entries.delete(namespace);
    this.entries.set(namespace, entry);
    const max = Math.max(1, this.options.maxNamespaces ?? 256);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= max) break;
      this.entries.delete(oldest);
    }
    // Listed before: that listing answers while the namespace is listed again, so no reconcile waits for it.
    return cached?.done !== undefined ? Promise.resolve(cached.done) : entry.listing;
  }

  private async listNow(namespace: string): Promise<NamespaceListing> {
    const skipped: string[] = [];
    let served: Awaited<ReturnType<NamespaceInventoryOptions['kinds']>>;
    try {
      served = await this.options.kinds();
    } catch (err) {
      return { objects: [], skipped: [`every kind (discovery failed: ${err instanceof Error ? err.message : String(err)})`], truncated: false };
    }
    skipped.push(...served.unreadable.map((gv) => `${gv} (its discovery document cannot be read)`));
    const unique = new Map<string, ResourceInfo>();
    for (const info of served.kinds) if (!orphanKindExcluded(info.group, info.kind)) unique.set(formatGvk(info), info);
    const maxKinds = this.options.maxKinds ?? 300;
    const kinds = [...unique.values()];
    if (kinds.length > maxKinds) skipped.push(`${kinds.length - maxKinds} kinds past the bound of ${maxKinds}`);
    const maxObjects = this.options.maxObjects ?? 5000;
    const objects: NamespaceObject[] = [];
    let truncated = false;
    await Promise.all(kinds.slice(0, maxKinds).map((info) => this.lists.add(async () => {
      try {
        for (const obj of await this.options.list(info, namespace)) {
          if (objects.length >= maxObjects) {
            truncated = true;
            return;
          }
          objects.push(slim(obj, info, namespace, this.options.tracking ?? capstanTracking));
        }
      } catch (err) {
        skipped.push(`${describeKind(info)} (${isForbidden(err) ? 'the controller may not list it' : err instanceof Error ? err.message : String(err)})`);
      }
    })));
    return { objects, skipped: skipped.sort(), truncated };
  }
}
