import type { KubeObject } from '../api/object.js';
import type { Informer } from './informer.js';

/**
 * What some informers hold, parsed once per version of each object (an object in several
 * informers counts once). `onParsed` sees each new version's parse (to log a refusal once).
 */
export class ParsedObjects<T> {
  private readonly parsed = new Map<string, { version: string; value: T }>();

  constructor(
    private readonly parse: (obj: KubeObject) => T,
    private readonly onParsed: (obj: KubeObject, value: T) => void = () => undefined,
  ) {}

  current(informers: readonly Informer[]): T[] {
    const seen = new Map<string, KubeObject>();
    for (const informer of informers) for (const obj of informer.list()) seen.set(obj.metadata.uid ?? `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`, obj);
    const values: T[] = [];
    for (const [uid, obj] of seen) {
      const version = obj.metadata.resourceVersion ?? '';
      let entry = this.parsed.get(uid);
      if (entry?.version !== version) {
        entry = { version, value: this.parse(obj) };
        this.parsed.set(uid, entry);
        this.onParsed(obj, entry.value);
      }
      values.push(entry.value);
    }
    for (const uid of [...this.parsed.keys()]) if (!seen.has(uid)) this.parsed.delete(uid);
    return values;
  }
}
