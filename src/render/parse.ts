import type { KubeObject } from '../api/object.js';
import { copyAsJson } from './json-value.js';
import { objectsOfDocument } from './objects.js';
import { DEFAULT_RENDER_LIMITS, type RenderError } from './types.js';
import { readYamlDocuments, type RawDocuments } from './yaml-reader.js';

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
