import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import type { KubeObject } from '../api/object.js';
import { normalizeForCompare } from '../diff/normalize.js';

/** Hash of a JSON value with keys sorted, so equal values hash equal. */
export function objectHash(value: unknown): string {
  return createHash('sha256').update(stringify(value) ?? 'undefined').digest('hex');
}

/**
 * Hash of what a live object holds that a comparison looks at: its spec and metadata, without
 * status, managedFields, resourceVersion and the other fields the server churns. A status-only
 * update (a rollout's progress, a CR's heartbeat) keeps the hash, so it costs no new dry run.
 */
export function liveHash(live: KubeObject | undefined): string {
  return live === undefined ? 'absent' : objectHash(normalizeForCompare(live));
}

interface Entry {
  readonly desiredHash: string;
  readonly liveHash: string;
  readonly predicted: KubeObject;
}

/**
 * Remembers the server-side dry-run result per object (by tracking id), so an object whose
 * desired form and live spec/metadata are both unchanged is compared without asking the API
 * server again.
 */
export class DiffCache {
  private readonly entries = new Map<string, Entry>();

  get(id: string, desiredHash: string, live: string): KubeObject | undefined {
    const e = this.entries.get(id);
    return e !== undefined && e.desiredHash === desiredHash && e.liveHash === live ? e.predicted : undefined;
  }

  set(id: string, desiredHash: string, live: string, predicted: KubeObject): void {
    this.entries.set(id, { desiredHash, liveHash: live, predicted });
  }

  /** Keeps, of the entries of one app (its id prefix), only those of objects it still declares. */
  retainApp(appKey: string, ids: ReadonlySet<string>): void {
    for (const id of this.entries.keys()) if (id.startsWith(`${appKey}:`) && !ids.has(id)) this.entries.delete(id);
  }

  /** Forgets every entry of an application (its id prefix). */
  forgetApp(appKey: string): void {
    this.retainApp(appKey, new Set());
  }

  get size(): number {
    return this.entries.size;
  }
}
