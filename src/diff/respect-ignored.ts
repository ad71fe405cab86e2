import { fieldManager } from '../api/annotations.js';
import { capstanTracking, type TrackingScheme } from '../api/tracking-scheme.js';
import { isRecord, type KubeObject } from '../api/object.js';
import { diffObjects } from './compare.js';
import { ownsPath } from './fields-v1.js';
import { removePointers } from './ignore.js';
import { arrayIndexOf, parsePointer } from './pointer.js';

/** The fields ignoreDifferences leaves out of one object's comparison. */
export interface IgnoredFields {
  /** Pointers ignored in the desired object: the jsonPointers, and what the jq expressions select in it. */
  readonly desired: readonly string[];
  /** The same in the live object (a jq expression may select other positions there). */
  readonly live: readonly string[];
  /** managedFieldsManagers: the fields they own in the live object. */
  readonly managers: readonly string[];
}

/**
 * Never taken from the live object, whatever is ignored: what the server or the object's own
 * controller writes (status, as Argo CD leaves out too), and what names the object.
 */
const neverCopied = ['/status', '/metadata/managedFields', '/metadata/resourceVersion', '/metadata/uid', '/metadata/generation',
  '/metadata/creationTimestamp', '/metadata/deletionTimestamp', '/metadata/deletionGracePeriodSeconds', '/metadata/selfLink',
  '/apiVersion', '/kind', '/metadata/name', '/metadata/namespace'];

export interface RespectOptions {
  /** The field manager Capstan applies as (default `capstan`). */
  readonly manager?: string;
  /** The object is written whole (Replace=true, a PUT): a field it leaves out is removed, whoever set it. */
  readonly replace?: boolean;
  /** How managed objects are marked (default Capstan's): the marks stay as prepared. */
  readonly tracking?: TrackingScheme;
}

/**
 * The object a sync applies under RespectIgnoreDifferences=true: `desired` with the ignored
 * fields at their live values, so that applying it leaves them as they are (Argo CD patches the
 * desired object with the live values of ignored fields the same way). Without a live object
 * (it is created) Git's values are applied. For each ignored field:
 * - set in Git and live (and, for a jq expression, selected in both): the live value is applied;
 * - set in Git but not live (or selected only in the desired object): left out of what is applied;
 * - set only live: added with its live value where leaving it out would remove it: Capstan owns
 *   it (server-side apply removes a field its manager stops setting), or the object is replaced
 *   whole; else left out, and server-side apply leaves it to the manager that set it.
 * Fields a managedFieldsManagers entry owns in the live object, where Git sets another value,
 * are applied with the live value too (values, not whole lists: a list whose length differs is
 * applied as Git has it). Status, managedFields and the object's identity are never taken from
 * live, and the tracking label and annotation stay as prepared. Pure; `desired` is not changed
 * (the same reference comes back when nothing is ignored).
 */
export function desiredRespectingIgnored(desired: KubeObject, live: KubeObject | undefined, ignored: IgnoredFields, options: RespectOptions = {}): KubeObject {
  if (live === undefined) return desired;
  if (ignored.desired.length === 0 && ignored.live.length === 0 && ignored.managers.length === 0) return desired;
  const manager = options.manager ?? fieldManager;
  const inLive = new Set(ignored.live);
  const copy = structuredClone(desired);
  const removed: string[] = [];
  for (const pointer of new Set(ignored.desired)) {
    if (!copyable(pointer) || !valueAt(copy, pointer).found) continue;
    const kept = inLive.has(pointer) ? valueAt(live, pointer) : absent;
    if (kept.found) setValueAt(copy, pointer, structuredClone(kept.value));
    else removed.push(pointer);
  }
  const respected = removePointers(copy, removed);
  const added = [...inLive].filter((pointer) => copyable(pointer) && !valueAt(desired, pointer).found
    && (options.replace === true || ownsPath(live, manager, pointer)));
  for (const pointer of added.sort(byArrayPosition)) addLiveValueAt(respected, live, pointer);
  for (const pointer of managedValuesDiffering(respected, live, ignored.managers)) {
    const kept = valueAt(live, pointer);
    if (kept.found) setValueAt(respected, pointer, structuredClone(kept.value));
  }
  (options.tracking ?? capstanTracking).copyTracking(desired, respected);
  return respected;
}

/** Pointers of values Git sets that differ from live and that one of `managers` owns in live. */
function managedValuesDiffering(desired: KubeObject, live: KubeObject, managers: readonly string[]): string[] {
  if (managers.length === 0) return [];
  return diffObjects(desired, live).changes
    .map((change) => change.path)
    .filter((pointer) => copyable(pointer) && isValue(valueAt(desired, pointer)) && isValue(valueAt(live, pointer)))
    .filter((pointer) => managers.some((manager) => ownsPath(live, manager, pointer)));
}

function copyable(pointer: string): boolean {
  return pointer !== '' && !neverCopied.some((p) => pointer === p || pointer.startsWith(`${p}/`));
}

type Lookup = { readonly found: true; readonly value: unknown } | { readonly found: false };

const absent: Lookup = { found: false };

/** A scalar (not a list or a map): a value Git sets as a whole. */
function isValue(lookup: Lookup): boolean {
  return lookup.found && !Array.isArray(lookup.value) && !isRecord(lookup.value);
}

function valueAt(root: unknown, pointer: string): Lookup {
  const tokens = parsePointer(pointer);
  return tokens === undefined ? absent : valueAtTokens(root, tokens);
}

function valueAtTokens(root: unknown, tokens: readonly string[]): Lookup {
  let value = root;
  for (const token of tokens) {
    if (Array.isArray(value)) {
      const index = arrayIndexOf(token);
      const items = value as unknown[];
      if (index === undefined || index >= items.length) return absent;
      value = items[index];
    } else if (isRecord(value) && Object.hasOwn(value, token)) {
      value = value[token];
    } else {
      return absent;
    }
  }
  return { found: true, value };
}

/** Sets the value at a path of `root` whose parent exists. */
function setValueAt(root: unknown, pointer: string, value: unknown): void {
  const tokens = parsePointer(pointer) ?? [];
  const last = tokens.at(-1);
  const parent = valueAtTokens(root, tokens.slice(0, -1));
  if (last === undefined || !parent.found) return;
  if (Array.isArray(parent.value)) {
    const items = parent.value as unknown[];
    const index = arrayIndexOf(last);
    if (index !== undefined && index < items.length) items[index] = value;
  } else if (isRecord(parent.value)) {
    parent.value[last] = value;
  }
}

/**
 * Adds the value `live` has at `pointer` to `root`, which does not have it: a missing map or
 * list on the way is created as live has it; a list element only at the end of its list (a
 * position inside it holds another element).
 */
function addLiveValueAt(root: unknown, live: unknown, pointer: string): void {
  const tokens = parsePointer(pointer) ?? [];
  const kept = valueAtTokens(live, tokens);
  const last = tokens.at(-1);
  if (last === undefined || !kept.found) return;
  let node = root;
  tokens.slice(0, -1).forEach((token, depth) => {
    if (Array.isArray(node)) {
      const index = arrayIndexOf(token);
      node = index === undefined ? undefined : (node as unknown[])[index];
    } else if (isRecord(node)) {
      if (node[token] === undefined) {
        const shape = valueAtTokens(live, tokens.slice(0, depth + 1));
        node[token] = shape.found && Array.isArray(shape.value) ? [] : {};
      }
      node = node[token];
    } else {
      node = undefined;
    }
  });
  const value = structuredClone(kept.value);
  if (Array.isArray(node)) {
    const items = node as unknown[];
    if (arrayIndexOf(last) === items.length) items.push(value);
  } else if (isRecord(node)) {
    node[last] = value;
  }
}

/** Lower list positions first, so that elements appended one after the other land where they were. */
function byArrayPosition(a: string, b: string): number {
  const x = parsePointer(a) ?? [];
  const y = parsePointer(b) ?? [];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const xi = arrayIndexOf(x[i] ?? '');
    const yi = arrayIndexOf(y[i] ?? '');
    if (xi !== undefined && yi !== undefined && xi !== yi) return xi - yi;
    if (x[i] !== y[i]) return (x[i] ?? '') < (y[i] ?? '') ? -1 : 1;
  }
  return x.length - y.length;
}
