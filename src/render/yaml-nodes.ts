import type yaml from 'js-yaml';
import { MERGED_ENTRY_COST } from './cost.js';
import { FLOAT_TAG, floatKeyName, isMergeKey, MERGE_KEY_TAG } from './yaml-schema.js';

// Merge keys copy entries, so a small file can make the reader copy a great many; this bounds
// that work per document as the byte budget bounds alias expansion.
const MAX_MERGED_ENTRIES = 100_000;

export class ReadFailure extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
    readonly tooLarge = false,
  ) {
    super(message);
  }
}

/** The loader's state as js-yaml hands it to a listener; its typings leave out the node's tag and anchor. */
export type LoaderState = Omit<yaml.State, 'kind'> & { kind: string | null; tag: string | null; anchor: string | null };

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What js-yaml's loader does not do as go-yaml does, done from its listener, which it calls as
 * it opens and closes every node (depth first, a key before its value):
 * - a key becomes the JSON name sigs.k8s.io/yaml gives it, and a null or collection key is refused;
 * - merge keys follow go-yaml: a merged mapping overrides the keys written before `<<` and is
 *   overridden by those after it, a later `<<` overrides an earlier one, and of a list of
 *   mappings the earlier ones win;
 * - an alias to a collection that is still being read (an anchor that contains itself) is refused.
 * A node is a key when the next thing after it is ':' (anything else there would not parse).
 */
export class NodeReader {
  /** `charge` is told what the entries merge keys copy take (cost.ts); it throws to stop the read. */
  constructor(private readonly charge: (bytes: number) => void = () => undefined) {}

  /** Documents read to the end. */
  documents = 0;
  private depth = 0;
  /** Where the node open at each depth starts. */
  private readonly starts: number[] = [];
  /** Start and JSON name of the last key read at each depth. */
  private readonly keyStarts: number[] = [];
  private readonly keyNames: string[] = [];
  /** Merge keys and numeric keys read at each depth since their mapping opened, in order. */
  private readonly orderedKeys: Array<string[] | undefined> = [];
  /** Start of the merge key at each depth whose value is still to come. */
  private readonly mergeKeyStarts: Array<number | undefined> = [];
  /** Depths at which merge keys were read since their mapping opened. */
  private readonly hasMergeKeys: boolean[] = [];
  /** Anchored collections of this document read to the end: an alias to another is to one still open. */
  private anchored = new Set<object>();
  private mergedEntries = 0;

  readonly listener = (event: yaml.EventType, state: yaml.State): void => {
    if (event === 'open') {
      this.depth++;
      this.starts[this.depth] = state.position;
      return;
    }
    this.close(state as LoaderState);
    this.depth--;
    if (this.depth === 0) {
      this.documents++;
      this.anchored = new Set();
      this.mergedEntries = 0;
    }
  };

  /** JSON name of the key that starts at a position in the text, if it was read. */
  keyStartingAt(position: number): string | undefined {
    const depth = this.keyStarts.lastIndexOf(position);
    return depth < 0 ? undefined : this.keyNames[depth];
  }

  private close(state: LoaderState): void {
    const depth = this.depth;
    const value: unknown = state.result;
    if (typeof value === 'object' && value !== null) {
      // An alias is a node with no kind and no tag.
      if (state.kind === null && state.tag === null) {
        if (!this.anchored.has(value)) throw this.selfContaining(state);
      } else if (state.anchor !== null) {
        this.anchored.add(value);
      }
    }
    const mergeKeyStart = this.mergeKeyStarts[depth];
    const isKey = followedByColon(state.input, state.position);
    if (mergeKeyStart !== undefined) {
      this.mergeKeyStarts[depth] = undefined;
      if (isKey || !(isMapping(value) || (state.kind === 'sequence' && Array.isArray(value) && value.every(isMapping)))) {
        throw new ReadFailure('map merge requires map or sequence of maps as the value', lineOf(state, mergeKeyStart));
      }
    }
    if (isKey) this.readKey(state, depth);
    else if (typeof value === 'string' && isMergeKey(value)) state.result = '<<';
    if (this.hasMergeKeys[depth + 1] === true) {
      // A scalar that might have been the first key of a block mapping closes twice, inside and
      // out: only a collection can hold merge keys.
      if (typeof value === 'object' && value !== null) {
        const valueless = this.mergeKeyStarts[depth + 1];
        if (valueless !== undefined) throw new ReadFailure('map merge requires map or sequence of maps as the value', lineOf(state, valueless));
        this.merge(state, this.orderedKeys[depth + 1]);
      }
      this.hasMergeKeys[depth + 1] = false;
      this.mergeKeyStarts[depth + 1] = undefined;
    }
    if (this.orderedKeys[depth + 1] !== undefined) this.orderedKeys[depth + 1] = undefined;
  }

  private readKey(state: LoaderState, depth: number): void {
    const key: unknown = state.result;
    const start = this.starts[depth] ?? state.position;
    let name: string;
    if (typeof key === 'number') {
      name = state.tag === FLOAT_TAG ? floatKeyName(key) : String(key);
      state.result = name;
    } else if (typeof key === 'boolean') {
      name = String(key);
    } else if (typeof key !== 'string') {
      const message = key === null ? 'a mapping key must not be null' : 'a mapping key must be a scalar, not a collection';
      throw new ReadFailure(message, lineOf(state, start));
    } else if (!isMergeKey(key)) {
      name = key;
    } else if (state.kind === 'scalar') {
      name = key;
      // An explicit `!!merge <<` too; js-yaml would merge that one itself, by its own rule.
      state.tag = MERGE_KEY_TAG;
      this.mergeKeyStarts[depth] = start;
      this.hasMergeKeys[depth] = true;
      (this.orderedKeys[depth] ??= []).push(key);
    } else {
      // Only a `<<` written as such merges: an alias to one (nothing read: no kind) is the string.
      name = '<<';
      state.result = name;
    }
    this.keyStarts[depth] = start;
    this.keyNames[depth] = name;
    // JavaScript lists integer-like keys first, whatever their order in the mapping, so the
    // order of those is kept here for merging.
    const first = name.charCodeAt(0);
    if (first >= 0x30 && first <= 0x39) (this.orderedKeys[depth] ??= []).push(name);
  }

  /** Applies the merge keys of the collection that has just closed. */
  private merge(state: LoaderState, orderedKeys: string[] | undefined): void {
    const value: unknown = state.result;
    if (state.kind === 'mapping' && isMapping(value)) this.mergeInto(value, orderedKeys);
    // A flow sequence makes a one-entry mapping of each `key: value` item, with no node of its own.
    if (state.kind === 'sequence' && Array.isArray(value)) {
      for (const item of value) if (isMapping(item)) this.mergeInto(item, undefined);
    }
  }

  private mergeInto(mapping: Mapping, orderedKeys: string[] | undefined): void {
    const keys = Object.keys(mapping);
    const merged: unknown[] = [];
    // How many merge keys come before each key written in the mapping itself.
    const mergesBefore = new Map<string, number>();
    for (const key of keys) {
      if (isMergeKey(key)) merged.push(mapping[key]);
      else mergesBefore.set(key, isArrayIndex(key) ? Infinity : merged.length);
    }
    if (merged.length === 0) return;
    let merges = 0;
    for (const key of orderedKeys ?? []) {
      if (isMergeKey(key)) merges++;
      else if (mergesBefore.has(key) && isArrayIndex(key)) mergesBefore.set(key, merges);
    }
    const written: string[][] = merged.map(() => []);
    written.push([]);
    for (const [key, before] of mergesBefore) written[Math.min(before, merged.length)]?.push(key);
    // Every key in the order go-yaml writes them: the last write wins.
    const entries = new Map<string, unknown>();
    for (const [index, keysWritten] of written.entries()) {
      for (const key of keysWritten) entries.set(key, mapping[key]);
      const value = merged[index];
      const sources = (Array.isArray(value) ? value : value === undefined ? [] : [value]) as Mapping[];
      for (let s = sources.length - 1; s >= 0; s--) {
        const source = sources[s] ?? {};
        const sourceKeys = Object.keys(source);
        this.mergedEntries += sourceKeys.length;
        if (this.mergedEntries > MAX_MERGED_ENTRIES) throw new ReadFailure(`merge keys copy more than ${MAX_MERGED_ENTRIES} entries`, undefined, true);
        this.charge(sourceKeys.length * MERGED_ENTRY_COST);
        for (const key of sourceKeys) entries.set(key, source[key]);
      }
    }
    for (const key of keys) Reflect.deleteProperty(mapping, key);
    for (const [key, value] of entries) setEntry(mapping, key, value);
  }

  private selfContaining(state: LoaderState): ReadFailure {
    let at = skipSpace(state.input, this.starts[this.depth] ?? state.position);
    const start = at + 1;
    while (at < state.position && !/[\s,[\]{}\0]/.test(state.input.charAt(at + 1))) at++;
    const name = state.input.slice(start, at + 1);
    return new ReadFailure(`anchor '${name}' value contains itself`, lineOf(state, start));
  }
}

/** Sets an entry as data, even one named '__proto__'. */
function setEntry(mapping: Mapping, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(mapping, key, { value, writable: true, enumerable: true, configurable: true });
  else mapping[key] = value;
}

function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9][0-9]*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}

/** Position of the first character at or after `from` that is not white space or a comment. */
function skipSpace(input: string, from: number): number {
  let at = from;
  for (let c = input.charCodeAt(at); ; c = input.charCodeAt(++at)) {
    if (c === 0x23) {
      while (c !== 0x0a && c !== 0x0d && c !== 0 && !Number.isNaN(c)) c = input.charCodeAt(++at);
    }
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return at;
  }
}

function followedByColon(input: string, position: number): boolean {
  return input.charCodeAt(skipSpace(input, position)) === 0x3a;
}

/** 1-based line of a position at or before the loader's. */
function lineOf(state: LoaderState, position: number): number {
  let line = state.line + 1;
  for (let at = position; at < state.position; at++) {
    const c = state.input.charCodeAt(at);
    if (c === 0x0a || (c === 0x0d && state.input.charCodeAt(at + 1) !== 0x0a)) line--;
  }
  return line;
}
