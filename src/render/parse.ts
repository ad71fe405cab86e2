import yaml from 'js-yaml';
import type { KubeObject } from '../api/object.js';
import { readJsonDocuments } from './json-documents.js';
import { copyAsJson } from './json-value.js';
import { objectsOfDocument } from './objects.js';
import { boundedText, quote } from './quote.js';
import { DEFAULT_RENDER_LIMITS, MAX_RENDER_ERRORS, type RenderError } from './types.js';
import { BudgetSpent, NodeBudget } from './yaml-budget.js';
import { NodeReader, ReadFailure } from './yaml-nodes.js';
import { MANIFEST_SCHEMA, YAML_TAG } from './yaml-schema.js';

export type ManifestFormat = 'yaml' | 'json';

export interface ParseOptions {
  /** Most bytes the file's objects may take once read, YAML aliases expanded (cost.ts; default: the render limit). */
  maxExpandedBytes?: number;
  /** Most objects the file may declare: reading stops past it (default: the render limit). */
  maxObjects?: number;
}

export type ParseResult =
  | { ok: true; objects: KubeObject[]; /** what the objects take, as cost.ts counts it */ bytes: number }
  | { ok: false; errors: RenderError[]; /** the expansion budget is used up: no later file can be read */ budgetSpent?: boolean };

/** Parses the text of one manifest file into the objects it declares. Pure: no file system. */
export function parseManifests(text: string, file: string, format: ManifestFormat, options: ParseOptions = {}): ParseResult {
  let budget = options.maxExpandedBytes ?? DEFAULT_RENDER_LIMITS.maxExpandedBytes;
  const maxObjects = options.maxObjects ?? DEFAULT_RENDER_LIMITS.maxObjects;
  const documents: RawDocuments = format === 'yaml' ? readYamlDocuments(text, file, budget) : readJsonDocuments(text, file, budget);
  const errors = [...documents.errors];
  const objects: KubeObject[] = [];
  let bytes = 0;
  let budgetSpent = documents.budgetSpent === true;
  for (const [index, value] of documents.values.entries()) {
    if (errors.length >= MAX_RENDER_ERRORS || objects.length > maxObjects) break;
    if (value === null || value === undefined) continue;
    const document = index + 1;
    const copy = copyAsJson(value, { maxBytes: budget });
    if (!copy.ok && copy.failure !== 'NotJson') {
      errors.push({ code: 'TooLarge', file, document, message: `document ${document} ${copy.message}` });
      // Aliases are bounded per document; bytes for the whole source.
      budgetSpent = copy.failure === 'TooLarge';
      if (budgetSpent) break;
      continue;
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
  if (errors.length === 0) return { ok: true, objects, bytes };
  return { ok: false, errors: errors.slice(0, MAX_RENDER_ERRORS), ...(budgetSpent ? { budgetSpent } : {}) };
}

interface RawDocuments {
  /** Parsed documents in file order; null for empty ones. */
  values: unknown[];
  errors: RenderError[];
  budgetSpent?: boolean;
}

// Deep enough for large CustomResourceDefinition schemas, and shallow enough that hostile nesting
// (a few kilobytes of `[`) is refused before it exhausts the stack, which can bring the whole
// process down rather than throw. js-yaml counts every node, the innermost scalar too.
const MAX_YAML_DEPTH = 1000;

/** Reads every document of a YAML stream with go-yaml v2's rules (see yaml-schema.ts). */
function readYamlDocuments(text: string, file: string, maxBytes: number): RawDocuments {
  const budget = new NodeBudget(maxBytes);
  const reader = new NodeReader(budget.charge);
  const warnings: yaml.YAMLException[] = [];
  const options: yaml.LoadOptions & { maxDepth: number } = {
    schema: MANIFEST_SCHEMA,
    maxDepth: MAX_YAML_DEPTH + 1,
    // The budget first: a document whose last node passes it is still the one being read.
    listener: (event, state) => {
      budget.listener(event, state);
      reader.listener(event, state);
    },
    // An unknown directive or YAML version is refused rather than guessed at. A quoted scalar
    // continued at less indentation than its key is read as go-yaml reads it.
    onWarning: (warning) => {
      if (warning.reason !== 'deficient indentation') warnings.push(warning);
    },
  };
  try {
    const values = yaml.loadAll(text, null, options);
    const [warning] = warnings;
    if (warning) return failure(file, yamlMessage(warning, reader), warning.mark.line + 1);
    return { values, errors: [] };
  } catch (err) {
    if (err instanceof ReadFailure && err.tooLarge) {
      const document = reader.documents + 1;
      return { values: [], errors: [{ code: 'TooLarge', file, document, message: `document ${document}: ${err.message}` }], budgetSpent: err instanceof BudgetSpent };
    }
    if (err instanceof ReadFailure) return failure(file, err.message, err.line);
    if (err instanceof yaml.YAMLException) return failure(file, yamlMessage(err, reader), err.mark.line + 1);
    // Anything else the reader throws still means the file could not be read as YAML.
    return failure(file, err instanceof Error ? err.message : String(err), undefined);
  }
}

function failure(file: string, reason: string, line: number | undefined): RawDocuments {
  const message = boundedText(reason, MAX_MESSAGE_CHARS);
  return { values: [], errors: [line !== undefined && line > 0 ? { code: 'ParseError', file, line, message } : { code: 'ParseError', file, message }] };
}

/** Longest reason from the YAML reader kept in a message; it may name tags, anchors and keys from the file. */
const MAX_MESSAGE_CHARS = 200;

/** js-yaml's reason, in the words Capstan uses for the same errors wherever they come from. */
function yamlMessage(error: yaml.YAMLException, reader: NodeReader): string {
  const reason = error.reason;
  const unknownTag = /^unknown tag !<(.*)>$/.exec(reason)?.[1];
  if (unknownTag === `${YAML_TAG}binary`) return 'the tag !!binary is not supported: leave it out to keep the base64 text as it is';
  if (unknownTag !== undefined) return `the tag ${shortTag(unknownTag)} is not supported`;
  const unfit = /^cannot resolve a node with !<(.*)> explicit tag$/.exec(reason)?.[1];
  if (unfit !== undefined) return `the value does not fit its tag ${shortTag(unfit)}`;
  const alias = /^unidentified alias "(.*)"$/.exec(reason)?.[1];
  if (alias !== undefined) return `unknown anchor '${alias}' referenced`;
  if (reason.startsWith('nesting exceeded maxDepth')) return `nested deeper than ${MAX_YAML_DEPTH} levels`;
  if (reason === 'duplicated mapping key') {
    const name = reader.keyStartingAt(error.mark.position);
    if (name !== undefined) return `duplicated mapping key ${quote(name)}`;
  }
  return reason.replaceAll(`!<${YAML_TAG}`, '!<!!');
}

function shortTag(tag: string): string {
  return tag.startsWith(YAML_TAG) ? `!!${tag.slice(YAML_TAG.length)}` : tag;
}
