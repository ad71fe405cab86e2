import { isRecord, type KubeObject } from '../api/object.js';
import { apiVersionProblem, kindProblem, nameProblem, namespaceProblem } from './identity.js';
import { boundedText, describeValue as describe } from './quote.js';
import { MAX_RENDER_ERRORS, type RenderError } from './types.js';

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
      into.errors.push(invalid(origin, itemPath, [`${String(value.kind)}.items must be a list, found ${describe(items)}`]));
      return;
    }
    for (const [index, item] of items.entries()) {
      if (into.errors.length >= MAX_RENDER_ERRORS) return;
      collect(item, origin, `${itemPath}items[${index}]`, into);
    }
    return;
  }
  const problems = objectProblems(value);
  if (problems.length > 0) {
    into.errors.push(invalid(origin, itemPath, problems));
    return;
  }
  into.objects.push(value as KubeObject);
}

// The kinds of the core API group (apiVersion v1), whose lists `kubectl get -o yaml` may write.
const CORE_KINDS = new Set([
  'Binding', 'ComponentStatus', 'ConfigMap', 'Endpoints', 'Event', 'LimitRange', 'Namespace', 'Node',
  'PersistentVolume', 'PersistentVolumeClaim', 'Pod', 'PodTemplate', 'ReplicationController',
  'ResourceQuota', 'Secret', 'Service', 'ServiceAccount',
]);

/**
 * `apiVersion: v1` with `kind: List` (what `kubectl get -o yaml` writes), or with the list kind
 * of a core kind (`ConfigMapList`) holding `items`. Anything else ending in List is an object of
 * its own: a custom resource named `AllowList` is applied as it is, never unwrapped.
 */
function isList(value: Record<string, unknown>): boolean {
  const kind = value.kind;
  if (value.apiVersion !== 'v1' || typeof kind !== 'string') return false;
  if (kind === 'List') return true;
  return kind.endsWith('List') && CORE_KINDS.has(kind.slice(0, -'List'.length)) && Array.isArray(value.items);
}

/** What keeps a value from being an object Capstan can apply and track; empty when it is fine. */
export function objectProblems(value: unknown): string[] {
  // A document that is not an object may be anything (a stray token file): its content is not quoted.
  if (!isRecord(value)) return [`expected an object with apiVersion, kind and metadata, found ${describe(value, { content: false })}`];
  const problems: string[] = [];
  problems.push(...stringFieldProblems(value.apiVersion, 'apiVersion', apiVersionProblem));
  problems.push(...stringFieldProblems(value.kind, 'kind', kindProblem));
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
  const namespace = metadata.namespace;
  if (namespace !== undefined && namespace !== null && typeof namespace !== 'string') {
    problems.push(`metadata.namespace must be a string, found ${describe(namespace)}`);
  }
  const badNamespace = typeof namespace === 'string' && namespace !== '' ? namespaceProblem(namespace) : undefined;
  if (badNamespace !== undefined) problems.push(badNamespace);
  problems.push(...stringMapProblems(metadata.labels, 'metadata.labels'));
  problems.push(...stringMapProblems(metadata.annotations, 'metadata.annotations'));
  return problems;
}

function stringFieldProblems(value: unknown, field: string, check: (value: string) => string | undefined): string[] {
  if (value === undefined || value === null || value === '') return [`${field} is missing`];
  if (typeof value !== 'string') return [`${field} must be a string, found ${describe(value)}`];
  const problem = check(value);
  return problem === undefined ? [] : [problem];
}

function nameProblems(metadata: Record<string, unknown>): string[] {
  const name = metadata.name;
  if (typeof name === 'string' && name !== '') {
    const problem = nameProblem(name);
    return problem === undefined ? [] : [problem];
  }
  if (name !== undefined && name !== null && typeof name !== 'string') {
    return [`metadata.name must be a string, found ${describe(name)}`];
  }
  if (metadata.generateName !== undefined) {
    if (isHookMetadata(metadata)) return generateNameProblems(metadata.generateName);
    return ['metadata.name is missing (metadata.generateName is only supported on hooks, which are created anew each sync: Capstan tracks every other object by its name)'];
  }
  return ['metadata.name is missing'];
}

/** Whether the annotations make the object a hook (Capstan's, Argo CD's or Helm's annotation). */
function isHookMetadata(metadata: Record<string, unknown>): boolean {
  const annotations = metadata.annotations;
  if (!isRecord(annotations)) return false;
  return ['capstan.dev/hook', 'argocd.argoproj.io/hook', 'helm.sh/hook'].some((key) => typeof annotations[key] === 'string');
}

function generateNameProblems(generateName: unknown): string[] {
  if (typeof generateName !== 'string' || generateName === '') return ['metadata.generateName must be a non-empty string'];
  // The API server appends five characters; the prefix must leave a valid name.
  const problem = nameProblem(`${generateName}abcde`);
  return problem === undefined ? [] : [`metadata.generateName ${JSON.stringify(generateName.slice(0, 80))} does not make a valid name`];
}

function stringMapProblems(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!isRecord(value)) return [`${field} must be a map of strings, found ${describe(value)}`];
  return Object.entries(value)
    .filter(([, v]) => typeof v !== 'string')
    .map(([k, v]) => `${field}.${boundedText(k, 64)} must be a string, found ${describe(v)} (quote it)`);
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
