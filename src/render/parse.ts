import { Composer, isAlias, isMap, isScalar, isSeq, LineCounter, Parser, type CST, type ScalarTag, type YAMLError } from 'yaml';
import type { KubeObject } from '../api/object.js';
import { copyAsJson } from './json-value.js';
import { objectsOfDocument } from './objects.js';
import { DEFAULT_RENDER_LIMITS, type RenderError } from './types.js';

export type ManifestFormat = 'yaml' | 'json';

export interface ParseOptions {
  /** Most bytes the file's objects may take once YAML aliases are expanded (default: the total render limit). */
  maxExpandedBytes?: number;
}

export type ParseResult =
  | { ok: true; objects: KubeObject[]; /** approximate JSON size of the objects */ bytes: number }
  | { ok: false; errors: RenderError[] };

/** Parses the text of one manifest file into the objects it declares. Pure: no file system. */
export function parseManifests(text: string, file: string, format: ManifestFormat, options: ParseOptions = {}): ParseResult {
  const documents = format === 'yaml' ? readYamlDocuments(text, file) : readJsonDocuments(text, file);
  const errors = [...documents.errors];
  const objects: KubeObject[] = [];
  let budget = options.maxExpandedBytes ?? DEFAULT_RENDER_LIMITS.maxTotalBytes;
  let bytes = 0;
  for (const [index, value] of documents.values.entries()) {
    if (value === null || value === undefined) continue;
    const document = index + 1;
    const copy = copyAsJson(value, { maxBytes: budget });
    if (!copy.ok && copy.failure === 'TooLarge') {
      const message = `document ${document} ${copy.message} (YAML aliases are expanded wherever they are used)`;
      errors.push({ code: 'TooLarge', file, document, message });
      break;
    }
    if (!copy.ok) {
      errors.push({ code: 'InvalidObject', file, document, message: `document ${document}: ${copy.message}` });
      continue;
    }
    budget -= copy.bytes;
    bytes += copy.bytes;
    const declared = objectsOfDocument(copy.value, { file, document });
    objects.push(...declared.objects);
    errors.push(...declared.errors);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, objects, bytes };
}

interface RawDocuments {
  /** Parsed documents in file order; null for empty ones. */
  values: unknown[];
  errors: RenderError[];
}

// ---------------------------------------------------------------------------------------------
// YAML is read as kubectl reads it: sigs.k8s.io/yaml over go-yaml v2, which is YAML 1.1 with the
// scalar rules of go-yaml's resolve table (resolve.go). The tags below follow that table, not the
// YAML 1.1 type repository: no sexagesimal numbers (`12:30` stays a string), no timestamps
// (`2024-01-01` stays a string, as go-yaml returns it when decoding into interface{}), and no tag
// that yields anything but JSON data. Unlike kubectl, Capstan refuses what it cannot read plainly:
// unknown tags (kubectl ignores them), !!binary (kubectl sends the decoded bytes in place of the
// text, so a binaryData entry no longer holds base64), and duplicate keys (kubectl keeps the last).
// ---------------------------------------------------------------------------------------------

const TAG = 'tag:yaml.org,2002:';

// go-yaml v2 accepts exactly these; they are also what the `yaml` package's YAML 1.1 bool accepts.
const NULL_RE = /^(?:~|null|Null|NULL)?$/;
const TRUE_RE = /^(?:y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const FALSE_RE = /^(?:n|N|no|No|NO|false|False|FALSE|off|Off|OFF)$/;
// A plain scalar that starts with a digit or a sign has every '_' removed, then goes to Go's
// strconv.ParseInt(s, 0, 64): 0x hex, 0o and legacy 0 octal (0644 is 420), 0b binary, decimal.
// The patterns therefore allow '_' anywhere after the first character. go-yaml's own fallback for
// 0b also reads a sign after the prefix (0b-1 is -1), hence the last alternative.
const INT_RE =
  /^(?:(?:[-+]_*)?(?:0_*[xX]_*[0-9a-fA-F][0-9a-fA-F_]*|0_*[oO]_*[0-7][0-7_]*|0_*[bB]_*[01][01_]*|0[0-7_]*|[1-9][0-9_]*)|0_*[bB]_*[-+]_*[01][01_]*)$/;
// What is not an int then matches go-yaml's yamlStyleFloat (so 08 and 09 are the floats 8 and 9).
const FLOAT_RE =
  /^(?:[0-9][0-9_]*(?:\.[0-9_]*)?|[-+]_*(?:\.[0-9_]*[0-9][0-9_]*|[0-9][0-9_]*(?:\.[0-9_]*)?))(?:[eE]_*(?:[-+]_*)?[0-9][0-9_]*)?$/;
// A plain scalar starting with '.' goes to strconv.ParseFloat as it is: '_' only between digits.
const DOT_FLOAT_RE = /^\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?$/;
const SPECIAL_FLOAT_RE = /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

function goInt(source: string): number {
  let plain = source.replace(/_/g, '');
  if (/^0[bB][-+]/.test(plain)) plain = `${plain.charAt(2)}0b${plain.slice(3)}`;
  const negative = plain.startsWith('-');
  const digits = /^[-+]/.test(plain) ? plain.slice(1) : plain;
  // Number() reads 0x, 0o and 0b itself, but takes a leading 0 for decimal.
  const value = /^0[0-7]+$/.test(digits) ? Number(`0o${digits.slice(1)}`) : Number(digits);
  return negative && value !== 0 ? -value : value;
}

/** A float out of float64's range is an error for ParseFloat, so go-yaml keeps the text. */
function goFloat(source: string): number | string {
  const value = Number(source.replace(/_/g, ''));
  return Number.isFinite(value) ? value : source;
}

function scalarTag(name: string, test: RegExp, resolve: (source: string) => unknown): ScalarTag {
  return { tag: `${TAG}${name}`, default: true, test, resolve };
}

// Order matters: the first tag whose pattern matches a plain scalar resolves it.
const SCALAR_TAGS: ScalarTag[] = [
  scalarTag('null', NULL_RE, () => null),
  scalarTag('bool', TRUE_RE, () => true),
  scalarTag('bool', FALSE_RE, () => false),
  scalarTag('int', INT_RE, goInt),
  scalarTag('float', SPECIAL_FLOAT_RE, (s) => (/nan/i.test(s) ? NaN : s.startsWith('-') ? -Infinity : Infinity)),
  scalarTag('float', DOT_FLOAT_RE, goFloat),
  scalarTag('float', FLOAT_RE, goFloat),
  // Only reached through an explicit tag: go-yaml reads `!!float 1` as 1.
  scalarTag('float', INT_RE, goInt),
];

const YAML_OPTIONS = {
  version: '1.1',
  schema: 'failsafe', // maps, sequences and strings; SCALAR_TAGS add the rest
  customTags: SCALAR_TAGS,
  merge: true,
  resolveKnownTags: false, // no !!binary, !!timestamp, !!set, !!omap or !!pairs
  // Checked while converting instead, on the keys as they end up in JSON; the `yaml` package's
  // own check compares each key with every earlier one, which is quadratic in the map's size.
  uniqueKeys: false,
} as const;

// Deep enough for large CustomResourceDefinition schemas. Checked on the syntax tree before the
// documents are composed: composing recurses, and hostile nesting (a few kilobytes of `[`) would
// exhaust the stack, which can bring the whole process down rather than throw.
const MAX_YAML_DEPTH = 1000;

// Merge keys copy entries, so a small file can make the reader copy a great many; this bounds
// that work per document as the byte budget bounds alias expansion.
const MAX_MERGED_ENTRIES = 100_000;

function readYamlDocuments(text: string, file: string): RawDocuments {
  const lines = new LineCounter();
  const fail = (message: string, offset: number | undefined): RawDocuments => {
    const line = offset === undefined ? 0 : lines.linePos(offset).line;
    return { values: [], errors: [line > 0 ? { code: 'ParseError', file, line, message } : { code: 'ParseError', file, message }] };
  };
  try {
    const tokens = Array.from(new Parser(lines.addNewLine).parse(text));
    const tooDeep = offsetDeeperThan(tokens, MAX_YAML_DEPTH);
    if (tooDeep !== undefined) return fail(`nested deeper than ${MAX_YAML_DEPTH} levels`, tooDeep);
    const composer = new Composer(YAML_OPTIONS);
    const documents = Array.from(composer.compose(tokens));
    const stream = composer.streamInfo();
    // Warnings too: an unknown tag, directive or YAML version is refused rather than guessed at.
    const problem = [...documents.flatMap((d) => [...d.errors, ...d.warnings]), ...stream.errors, ...stream.warnings][0];
    if (problem) return fail(yamlMessage(problem), problem.pos[0]);
    const values: unknown[] = [];
    for (const [index, document] of documents.entries()) {
      const state: ConvertState = { anchors: new Map(), merged: 0 };
      try {
        values.push(toValue(document.contents, state));
      } catch (err) {
        if (!(err instanceof ConvertFailure)) throw err;
        if (err.tooLarge) {
          const message = `document ${index + 1}: ${err.message}`;
          return { values: [], errors: [{ code: 'TooLarge', file, document: index + 1, message }] };
        }
        return fail(err.message, err.offset);
      }
    }
    return { values, errors: [] };
  } catch (err) {
    // Anything else the reader throws still means the file could not be read as YAML.
    return fail(err instanceof Error ? err.message : String(err), undefined);
  }
}

function yamlMessage(error: YAMLError): string {
  const message = error.message.replaceAll(TAG, '!!');
  if (error.code !== 'TAG_RESOLVE_FAILED') return message;
  const tag = /^Unresolved tag: (.*)$/.exec(message)?.[1];
  if (tag === undefined) return message;
  if (tag === '!!binary') return 'the tag !!binary is not supported: leave it out to keep the base64 text as it is';
  return SCALAR_TAGS.some((t) => t.tag === tag.replace('!!', TAG)) ? `the value does not fit its tag ${tag}` : `the tag ${tag} is not supported`;
}

/** Offset of the first collection nested deeper than `maxDepth`, walking the syntax tree without recursion. */
function offsetDeeperThan(tokens: CST.Token[], maxDepth: number): number | undefined {
  const stack: Array<[CST.Token, number]> = tokens.map((token) => [token, 0]);
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [token, depth] = next;
    if (token.type === 'document' && token.value) stack.push([token.value, depth]);
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') continue;
    if (depth >= maxDepth) return token.offset;
    for (const item of token.items) {
      if (item.key) stack.push([item.key, depth + 1]);
      if (item.value) stack.push([item.value, depth + 1]);
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// From the composed nodes to plain values. Done here rather than with Document.toJS(), which
// looks every alias up by scanning the document (quadratic in the number of aliases) and merges
// by YAML 1.1's rule, not go-yaml's. An alias yields the very value of its anchor; copyAsJson
// expands it later, within the byte budget.
// ---------------------------------------------------------------------------------------------

interface ConvertState {
  /** Value of each anchor defined so far; IN_PROGRESS while its own node is being read. */
  anchors: Map<string, unknown>;
  merged: number;
}

const IN_PROGRESS = Symbol('in progress');

class ConvertFailure extends Error {
  constructor(
    message: string,
    readonly offset: number | undefined,
    readonly tooLarge = false,
  ) {
    super(message);
  }
}

type Mapping = { [key: string]: unknown };

function offsetOf(node: unknown): number | undefined {
  return isAlias(node) || isScalar(node) || isMap(node) || isSeq(node) ? node.range?.[0] : undefined;
}

function toValue(node: unknown, state: ConvertState): unknown {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) {
    const value = state.anchors.get(node.source);
    if (value === IN_PROGRESS) throw new ConvertFailure(`anchor '${node.source}' value contains itself`, offsetOf(node));
    if (!state.anchors.has(node.source)) throw new ConvertFailure(`unknown anchor '${node.source}' referenced`, offsetOf(node));
    return value;
  }
  if (!isScalar(node) && !isMap(node) && !isSeq(node)) throw new ConvertFailure('unexpected YAML node', undefined);
  if (node.anchor) state.anchors.set(node.anchor, IN_PROGRESS);
  let value: unknown;
  if (isScalar(node)) value = typeof node.value === 'symbol' ? '<<' : node.value;
  else if (isSeq(node)) value = node.items.map((item) => toValue(item, state));
  else value = toMapping(node.items, state);
  if (node.anchor) state.anchors.set(node.anchor, value);
  return value;
}

function toMapping(pairs: ReadonlyArray<{ key: unknown; value: unknown }>, state: ConvertState): Mapping {
  // No prototype: a '__proto__' key stays data.
  const record: Mapping = Object.create(null) as Mapping;
  const declared = new Set<string>();
  for (const { key, value } of pairs) {
    // The `yaml` package resolves a plain `<<` key to a symbol; nothing else yields one.
    if (isScalar(key) && typeof key.value === 'symbol') {
      mergeInto(record, value, state);
      continue;
    }
    const name = keyName(key, state);
    if (declared.has(name)) throw new ConvertFailure(`duplicated mapping key "${name}"`, offsetOf(key));
    declared.add(name);
    record[name] = toValue(value, state);
  }
  return record;
}

/** Keys become JSON strings as sigs.k8s.io/yaml makes them: `yes` is "true", `0644` is "420". */
function keyName(key: unknown, state: ConvertState): string {
  if (isMap(key) || isSeq(key)) throw new ConvertFailure('a mapping key must be a scalar, not a collection', offsetOf(key));
  const value = toValue(key, state);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
  throw new ConvertFailure(value === null ? 'a mapping key must not be null' : 'a mapping key must be a scalar, not a collection', offsetOf(key));
}

/**
 * go-yaml's merge: the merged mapping is written over the entries so far, and entries after the
 * `<<` key win. Of a list of mappings, earlier ones win.
 */
function mergeInto(record: Mapping, value: unknown, state: ConvertState): void {
  const sources = isSeq(value) ? [...value.items].reverse() : [value];
  for (const source of sources) {
    const merged = isMap(source) || isAlias(source) ? toValue(source, state) : undefined;
    if (typeof merged !== 'object' || merged === null || Array.isArray(merged)) {
      throw new ConvertFailure('map merge requires map or sequence of maps as the value', offsetOf(source) ?? offsetOf(value));
    }
    const entries = Object.entries(merged);
    state.merged += entries.length;
    if (state.merged > MAX_MERGED_ENTRIES) throw new ConvertFailure(`merge keys copy more than ${MAX_MERGED_ENTRIES} entries`, undefined, true);
    for (const [key, item] of entries) record[key] = item;
  }
}

// ---------------------------------------------------------------------------------------------

function readJsonDocuments(text: string, file: string): RawDocuments {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (source.trim() === '') return { values: [], errors: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (err) {
    return { values: [], errors: [jsonError(err, source, file)] };
  }
  // A JSON file holds one object, or an array whose elements are the documents.
  return { values: Array.isArray(parsed) ? parsed : [parsed], errors: [] };
}

function jsonError(err: unknown, source: string, file: string): RenderError {
  const reason = err instanceof Error ? err.message : String(err);
  const position = /at position (\d+)/.exec(reason)?.[1];
  if (position === undefined) return { code: 'ParseError', file, message: reason };
  return { code: 'ParseError', file, line: lineAt(source, Number(position)), message: reason };
}

/** 1-based line of a character offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) line++;
  }
  return line;
}
