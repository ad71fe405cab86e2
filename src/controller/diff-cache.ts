import { createHash } from 'node:crypto';
import type { KubeObject } from '../api/object.js';

/** Hash of an object's JSON with keys sorted, so equal objects hash equal. */
export function objectHash(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  // Manifests hold only JSON data, so JSON.stringify always yields a string here.
  return JSON.stringify(value);
}

interface Entry {
  readonly desiredHash: string;
  readonly liveVersion: string;
  readonly predicted: KubeObject;
}

/**
 * Remembers the server-side dry-run result per object, so an object whose desired form and
 * live resourceVersion are both unchanged is compared without asking the API server again.
 */
export class DiffCache {
  private readonly entries = new Map<string, Entry>();

  get(id: string, desiredHash: string, liveVersion: string): KubeObject | undefined {
    const e = this.entries.get(id);
    return e !== undefined && e.desiredHash === desiredHash && e.liveVersion === liveVersion ? e.predicted : undefined;
  }

  set(id: string, desiredHash: string, liveVersion: string, predicted: KubeObject): void {
    this.entries.set(id, { desiredHash, liveVersion, predicted });
  }

  /** Forgets every entry of an application (its id prefix). */
  forgetApp(appKey: string): void {
    for (const id of this.entries.keys()) if (id.startsWith(`${appKey}:`)) this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }
}
