import { isRecord, type KubeObject } from '../api/object.js';
import type { RenderError } from './types.js';

export interface DocumentOrigin {
  /** File, relative to the repository root. */
  readonly file: string;
  /** 1-based index of the document (or JSON array element) within the file. */
  readonly document: number;
}

export interface DocumentObjects {
  objects: KubeObject[];
  errors: RenderError[];
}

/**
 * The objects one parsed document declares: itself, or the items of a List (recursively),
 * each checked to carry what Capstan needs to apply and track it.
 */
export function objectsOfDocument(value: unknown, origin: DocumentOrigin): DocumentObjects {
  const result: DocumentObjects = { objects: [], errors: [] };
  collect(value, origin, '', result);
  return result;
}

function collect(value: unknown, origin: DocumentOrigin, itemPath: string, into: DocumentObjects): void {
  if (isRecord(value) && isList(value)) {
    const items = value.items ?? [];
    if (!Array.isArray(items)) {
      into.errors.push(invalid(origin, itemPath, [`${String(value.kind)}.items must be a list`]));
      return;
    }
    items.forEach((item, index) => {
      collect(item, origin, `${itemPath}items[${index}]`, into);
    });
    return;
  }
  const problems = objectProblems(value);
  if (problems.length > 0) {
    into.errors.push(invalid(origin, itemPath, problems));
    return;
  }
  into.objects.push(value as KubeObject);
}

/** `kind: List`, or any `<Kind>List` holding an `items` array (what `kubectl get -o yaml` writes). */
function isList(value: Record<string, unknown>): boolean {
  const kind = value.kind;
  if (typeof kind !== 'string') return false;
  if (kind === 'List') return true;
  return kind.endsWith('List') && Array.isArray(value.items);
}

/** What keeps a value from being an object Capstan can apply and track; empty when it is fine. */
export function objectProblems(value: unknown): string[] {
  if (!isRecord(value)) return [`expected an object with apiVersion, kind and metadata, found ${describe(value)}`];
  const problems: string[] = [];
  problems.push(...stringFieldProblems(value.apiVersion, 'apiVersion'));
  problems.push(...stringFieldProblems(value.kind, 'kind'));
  const metadata = value.metadata;
  if (metadata === undefined || metadata === null) {
    problems.push('metadata is missing');
    return problems;
  }
  if (!isRecord(metadata)) {
    problems.push(`metadata must be an object, found ${describe(metadata)}`);
    return problems;
  }
  problems.push(...nameProblems(metadata));
  if (metadata.namespace !== undefined && metadata.namespace !== null && typeof metadata.namespace !== 'string') {
    problems.push(`metadata.namespace must be a string, found ${describe(metadata.namespace)}`);
  }
  problems.push(...stringMapProblems(metadata.labels, 'metadata.labels'));
  problems.push(...stringMapProblems(metadata.annotations, 'metadata.annotations'));
  return problems;
}

function stringFieldProblems(value: unknown, field: string): string[] {
  if (value === undefined || value === null || value === '') return [`${field} is missing`];
  if (typeof value !== 'string') return [`${field} must be a string, found ${describe(value)}`];
  return [];
}

function nameProblems(metadata: Record<string, unknown>): string[] {
  const name = metadata.name;
  if (typeof name === 'string' && name !== '') return [];
  if (name !== undefined && name !== null && typeof name !== 'string') {
    return [`metadata.name must be a string, found ${describe(name)}`];
  }
  if (metadata.generateName !== undefined) {
    return ['metadata.name is missing (metadata.generateName is not supported: Capstan tracks each object by its name)'];
  }
  return ['metadata.name is missing'];
}

function stringMapProblems(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!isRecord(value)) return [`${field} must be a map of strings, found ${describe(value)}`];
  return Object.entries(value)
    .filter(([, v]) => typeof v !== 'string')
    .map(([k, v]) => `${field}.${k} must be a string, found ${describe(v)} (quote it)`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `the ${typeof value} ${String(value)}`;
  return `a ${typeof value}`;
}

function invalid(origin: DocumentOrigin, itemPath: string, problems: string[]): RenderError {
  const where = itemPath === '' ? `document ${origin.document}` : `document ${origin.document}, ${itemPath}`;
  return {
    code: 'InvalidObject',
    file: origin.file,
    document: origin.document,
    message: `${where}: ${problems.join('; ')}`,
  };
}
