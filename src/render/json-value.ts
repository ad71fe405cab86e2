/** A value that JSON can carry unchanged: what a Kubernetes object may hold. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type JsonCopyFailure = 'NotJson' | 'TooLarge';

export type JsonCopyResult =
  | { ok: true; value: JsonValue; bytes: number }
  | { ok: false; failure: JsonCopyFailure; message: string };

export interface JsonCopyOptions {
  /** Stop once the copy would serialise to more than this many bytes (approximately). */
  maxBytes: number;
  /** Deepest nesting accepted. */
  maxDepth?: number;
}

const DEFAULT_MAX_DEPTH = 1000;

class CopyAborted extends Error {
  constructor(
    readonly failure: JsonCopyFailure,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Deep-copies a parsed value, refusing anything JSON cannot represent (NaN, Infinity, Date,
 * binary, functions). The size budget matters for YAML: aliases share one node, and a small
 * file can name it a billion times over; copying would expand every use.
 */
export function copyAsJson(value: unknown, options: JsonCopyOptions): JsonCopyResult {
  const state = { bytes: 0, maxBytes: options.maxBytes, maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH, path: [] as string[] };
  try {
    const copy = copyValue(value, state, 0);
    return { ok: true, value: copy, bytes: state.bytes };
  } catch (err) {
    if (err instanceof CopyAborted) return { ok: false, failure: err.failure, message: err.message };
    throw err;
  }
}

interface CopyState {
  bytes: number;
  readonly maxBytes: number;
  readonly maxDepth: number;
  readonly path: string[];
}

function copyValue(value: unknown, state: CopyState, depth: number): JsonValue {
  if (value === null) return charge(state, 4, null);
  switch (typeof value) {
    case 'string':
      return charge(state, value.length + 2, value);
    case 'boolean':
      return charge(state, value ? 4 : 5, value);
    case 'number':
      if (!Number.isFinite(value)) throw notJson(state, `${String(value)} is not a JSON number`);
      return charge(state, String(value).length, value);
    case 'object':
      break;
    default:
      throw notJson(state, `${value === undefined ? 'undefined' : `a ${typeof value}`} is not a JSON value`);
  }
  if (depth >= state.maxDepth) throw notJson(state, `nested deeper than ${state.maxDepth} levels`);
  if (Array.isArray(value)) return copyArray(value, state, depth);
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
    throw notJson(state, `a ${value.constructor.name} is not a JSON value`);
  }
  return copyRecord(value as Record<string, unknown>, state, depth);
}

function copyArray(items: readonly unknown[], state: CopyState, depth: number): JsonValue[] {
  charge(state, 2 + items.length, null);
  return items.map((item, index) => {
    state.path.push(`[${index}]`);
    const copy = copyValue(item, state, depth + 1);
    state.path.pop();
    return copy;
  });
}

function copyRecord(record: Record<string, unknown>, state: CopyState, depth: number): { [key: string]: JsonValue } {
  const entries = Object.entries(record);
  charge(state, 2 + entries.length, null);
  // fromEntries defines own properties, so a '__proto__' key stays data and never becomes a prototype.
  return Object.fromEntries(
    entries.map(([key, item]) => {
      charge(state, key.length + 3, null);
      state.path.push(state.path.length === 0 ? key : `.${key}`);
      const copy = copyValue(item, state, depth + 1);
      state.path.pop();
      return [key, copy];
    }),
  );
}

function charge<T extends JsonValue>(state: CopyState, bytes: number, value: T): T {
  state.bytes += bytes;
  if (state.bytes > state.maxBytes) {
    throw new CopyAborted('TooLarge', `expands to more than ${state.maxBytes} bytes`);
  }
  return value;
}

function notJson(state: CopyState, reason: string): CopyAborted {
  const where = state.path.length === 0 ? 'the document' : state.path.join('');
  return new CopyAborted('NotJson', `${where}: ${reason}`);
}
