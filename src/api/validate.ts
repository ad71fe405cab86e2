import { parseDuration } from './duration.js';
import { parseOptionList } from './annotations.js';
import type { Application, ApplicationSource } from './application.js';
import { reasons } from './conditions.js';
import { isRecord } from './object.js';
import { fail, ok, type Result } from './result.js';
import { renderOptionTypeProblems } from './render-options.js';
import { parseValueRef } from './value-refs.js';
import { appOptionValues, unsupportedOptions } from './sync-options.js';

/** The destination server and name that mean "the cluster the controller runs in". */
export const inClusterServer = 'https://kubernetes.default.svc';
export const inClusterName = 'in-cluster';

/**
 * The fields Capstan implements, object by object. A field of Argo CD's Application that
 * Capstan does not implement yet is named with what it is, so the message says "not yet"
 * rather than "unknown".
 */
interface Shape {
  readonly fields: readonly string[];
  readonly notYet?: Readonly<Record<string, string>>;
  readonly nested?: Readonly<Record<string, Shape>>;
  /** Fields that hold a list of objects of this shape. */
  readonly lists?: Readonly<Record<string, Shape>>;
}

/** One source: `spec.source`, or an entry of `spec.sources` (which may also have a `ref`). */
const sourceShape: Shape = {
  fields: ['repoURL', 'targetRevision', 'path', 'directory', 'kustomize', 'helm', 'chart', 'plugin'],
  notYet: { ref: 'source references', name: 'named sources' },
  nested: {
    plugin: { fields: ['name', 'env', 'parameters'], lists: { env: { fields: ['name', 'value'] }, parameters: { fields: ['name', 'string', 'array', 'map'] } } },
    directory: {
      fields: ['recurse', 'include', 'exclude', 'jsonnet'],
      nested: { jsonnet: { fields: ['extVars', 'tlas', 'libs'], lists: { extVars: { fields: ['name', 'value', 'code'] }, tlas: { fields: ['name', 'value', 'code'] } } } },
    },
    kustomize: {
      fields: ['namePrefix', 'nameSuffix', 'images', 'commonLabels', 'commonAnnotations', 'forceCommonLabels', 'forceCommonAnnotations', 'labelWithoutSelector', 'namespace', 'replicas', 'patches', 'components', 'ignoreMissingComponents'],
      notYet: {
        version: 'choosing a kustomize version', commonAnnotationsEnvsubst: 'environment substitution in annotations', labelIncludeTemplates: 'labels on pod templates only',
        kubeVersion: 'the Kubernetes version of Helm charts in a kustomization', apiVersions: 'the API versions of Helm charts in a kustomization',
      },
      lists: { replicas: { fields: ['name', 'count'] }, patches: { fields: ['path', 'patch', 'target', 'options'], nested: { target: { fields: ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] } } } },
    },
    helm: {
      fields: ['releaseName', 'valueFiles', 'ignoreMissingValueFiles', 'values', 'valuesObject', 'parameters', 'fileParameters', 'namespace', 'skipCrds', 'skipTests', 'skipSchemaValidation', 'kubeVersion', 'apiVersions'],
      notYet: { version: 'choosing a Helm version', passCredentials: 'passing credentials to other hosts' },
      lists: { parameters: { fields: ['name', 'value', 'forceString'] }, fileParameters: { fields: ['name', 'path'] } },
    },
  },
};

const sourcesEntryShape: Shape = {
  ...sourceShape,
  fields: [...sourceShape.fields, 'ref'],
  notYet: Object.fromEntries(Object.entries(sourceShape.notYet ?? {}).filter(([field]) => field !== 'ref')),
};

const shapes: Shape = {
  fields: ['project', 'source', 'sources', 'destination', 'syncPolicy', 'interval', 'ignoreDifferences', 'revisionHistoryLimit', 'promotion'],
  notYet: { info: 'informational links' },
  nested: {
    source: sourceShape,
    destination: { fields: ['server', 'name', 'namespace'] },
    promotion: { fields: ['after'], nested: { after: { fields: ['application', 'healthyFor'] } } },
    syncPolicy: {
      fields: ['automated', 'syncOptions', 'retry', 'hookTimeout', 'managedNamespaceMetadata', 'approval'],
      nested: {
        approval: { fields: ['required'] },
        managedNamespaceMetadata: { fields: ['labels', 'annotations'] },
        automated: { fields: ['prune', 'selfHeal', 'allowEmpty'] },
        retry: { fields: ['limit', 'backoff'], nested: { backoff: { fields: ['duration', 'factor', 'maxDuration'] } } },
      },
    },
  },
  lists: {
    sources: sourcesEntryShape,
    ignoreDifferences: {
      fields: ['group', 'kind', 'name', 'namespace', 'jsonPointers', 'jqPathExpressions', 'managedFieldsManagers'],
    },
  },
};

function unknownFields(value: unknown, shape: Shape, path: string, problems: string[]): void {
  if (!isRecord(value)) return;
  for (const field of Object.keys(value)) {
    const at = `${path}.${field}`;
    const notYet = shape.notYet?.[field];
    if (notYet !== undefined) {
      problems.push(`${at} is not supported yet (${notYet})`);
      continue;
    }
    if (!shape.fields.includes(field)) {
      problems.push(`${at} is not a field Capstan knows`);
      continue;
    }
    const nested = shape.nested?.[field];
    if (nested !== undefined) unknownFields(value[field], nested, at, problems);
    const items = shape.lists?.[field];
    const list = value[field];
    if (items !== undefined && Array.isArray(list)) list.forEach((item, i) => { unknownFields(item, items, `${at}[${i}]`, problems); });
  }
}

function destinationProblems(app: Application): string[] {
  const { server, name } = app.spec.destination;
  const problems: string[] = [];
  if (server !== undefined && server !== '' && !/^https?:\/\/[^\s/]+/.test(server)) {
    problems.push(`spec.destination.server "${server}" is not an http(s):// URL of an API server`);
  }
  if (server !== undefined && server !== '' && name !== undefined && name !== '') {
    problems.push('spec.destination sets both server and name; set one of them');
  }
  return problems;
}

function syncOptionProblems(app: Application): string[] {
  const options = new Map<string, string>();
  for (const entry of app.spec.syncPolicy?.syncOptions ?? []) for (const [k, v] of parseOptionList(entry)) options.set(k, v);
  return unsupportedOptions(options, appOptionValues, 'sync option').map((p) => `spec.syncPolicy.syncOptions: ${p}`);
}

/** managedNamespaceMetadata: string maps, and only with CreateNamespace=true (without it there is no namespace it manages). */
function managedNamespaceProblems(app: Application): string[] {
  const metadata: unknown = app.spec.syncPolicy?.managedNamespaceMetadata;
  if (metadata === undefined) return [];
  const problems: string[] = [];
  for (const field of ['labels', 'annotations']) {
    const map = isRecord(metadata) ? metadata[field] : undefined;
    if (map !== undefined && (!isRecord(map) || !Object.values(map).every((v) => typeof v === 'string'))) {
      problems.push(`spec.syncPolicy.managedNamespaceMetadata.${field} must be a map of strings`);
    }
  }
  const options = new Map<string, string>();
  for (const entry of app.spec.syncPolicy?.syncOptions ?? []) for (const [k, v] of parseOptionList(entry)) options.set(k, v);
  if (options.get('CreateNamespace')?.toLowerCase() !== 'true') problems.push('spec.syncPolicy.managedNamespaceMetadata needs CreateNamespace=true in spec.syncPolicy.syncOptions');
  return problems;
}

const shownProblems = 5;

/** More than one source type named at once: Argo CD refuses it too (multiple application sources defined). */
function sourceTypeProblems(source: unknown, at: string): string[] {
  if (!isRecord(source)) return [];
  const named = ['kustomize', 'helm', 'plugin'].filter((k) => source[k] !== undefined);
  if (isRecord(source.directory) && Object.keys(source.directory).length > 0) named.push('directory');
  return named.length > 1 ? [`${at} names more than one source type (${named.join(', ')}); set one of them`] : [];
}

/** A chart from a chart repository is rendered with Helm: path, kustomize and directory options do not apply to it. */
function chartProblems(source: unknown, at: string): string[] {
  if (!isRecord(source) || source.chart === undefined) return [];
  if (typeof source.chart !== 'string' || source.chart === '') return [`${at}.chart must be a chart name`];
  const problems: string[] = [];
  if (typeof source.path === 'string' && source.path !== '' && source.path !== '.') problems.push(`${at}.path is not used with ${at}.chart (the chart is read from the chart repository); remove one`);
  for (const field of ['kustomize', 'directory', 'plugin']) if (source[field] !== undefined) problems.push(`${at}.${field} does not apply to a chart from a chart repository (${at}.chart)`);
  return problems;
}

/** Most sources of one app (their revisions, comma-separated, are one status field). */
const maxSources = 8;

/** One of spec.source and spec.sources; each source's own problems; refs unique, and `$ref` values files naming a Git source's ref. */
function sourcesProblems(app: Application): string[] {
  const { source, sources } = app.spec;
  if (source !== undefined && sources !== undefined) return ['spec sets both source and sources; set one of them (sources for several)'];
  if (sources === undefined) return source === undefined ? ['spec.source is required'] : [...sourceProblems(source, 'spec.source'), ...valueRefProblems(source, 'spec.source', new Map())];
  if (!Array.isArray(sources) || sources.length === 0) return ['spec.sources must list at least one source'];
  if (sources.length > maxSources) return [`spec.sources lists ${sources.length} sources; an app has at most ${maxSources}`];
  const refs = new Map<string, ApplicationSource>();
  const problems: string[] = [];
  sources.forEach((s, i) => {
    problems.push(...sourceProblems(s, `spec.sources[${i}]`));
    if (s.ref === undefined) return;
    if (typeof s.ref !== 'string' || !/^[A-Za-z0-9_-]+$/.test(s.ref)) problems.push(`spec.sources[${i}].ref must be a name of letters, digits, '-' and '_'`);
    else if (refs.has(s.ref)) problems.push(`spec.sources[${i}].ref "${s.ref}" is the ref of an earlier source too`);
    else refs.set(s.ref, s);
  });
  sources.forEach((s, i) => { problems.push(...valueRefProblems(s, `spec.sources[${i}]`, refs)); });
  return problems;
}

/** Helm values files `$<ref>/path` must name the ref of a Git source of the same app. */
function valueRefProblems(source: ApplicationSource, at: string, refs: ReadonlyMap<string, ApplicationSource>): string[] {
  const files = source.helm?.valueFiles;
  if (!Array.isArray(files)) return [];
  return files.filter((f) => typeof f === 'string' && f.startsWith('$')).flatMap((f) => {
    const ref = parseValueRef(f);
    if (ref === undefined) return [`${at}.helm.valueFiles "${f}" is not of the form $<ref>/<path>`];
    const target = refs.get(ref.ref);
    if (target === undefined) return [`${at}.helm.valueFiles "${f}" names $${ref.ref}, but no source of spec.sources has ref: ${ref.ref}`];
    if (target.chart !== undefined) return [`${at}.helm.valueFiles "${f}" names $${ref.ref}, a chart source; values files come from Git sources`];
    return [];
  });
}

/** The types of the source's render options: the CRD keeps unknown fields, so they are checked here. */
export function sourceProblems(source: unknown, at: string): string[] {
  return [...sourceTypeProblems(source, at), ...chartProblems(source, at), ...renderOptionTypeProblems(source, at)];
}

/**
 * Refuses a spec that uses a field or value Capstan does not implement (DESIGN.md §1: "a field
 * is implemented or refused"). Pure; runs before anything else, so a refused app has nothing
 * applied or pruned. The message names every offending field (the first few).
 */
function promotionProblems(app: Application): string[] {
  const promotion: unknown = app.spec.promotion;
  if (promotion === undefined) return [];
  const after = isRecord(promotion) ? promotion['after'] : undefined;
  if (!isRecord(after)) return ['spec.promotion.after is required: { application: NAME, healthyFor: DURATION }'];
  const problems: string[] = [];
  const name = after['application'];
  if (typeof name !== 'string' || name === '') problems.push('spec.promotion.after.application must name an Application of the same namespace');
  else if (name === app.metadata.name) problems.push('spec.promotion.after.application names the app itself');
  const healthyFor = after['healthyFor'];
  if (healthyFor !== undefined && (typeof healthyFor !== 'string' || parseDuration(healthyFor) === undefined)) problems.push(`spec.promotion.after.healthyFor ${JSON.stringify(healthyFor)} is not a duration such as 10m`);
  if (app.spec.sources !== undefined) problems.push('spec.promotion is not supported with spec.sources (several sources)');
  return problems;
}

export function validateSpec(app: Application): Result<void> {
  const problems: string[] = [];
  unknownFields(app.spec, shapes, 'spec', problems);
  problems.push(...destinationProblems(app), ...syncOptionProblems(app), ...managedNamespaceProblems(app), ...sourcesProblems(app), ...promotionProblems(app));
  if (problems.length === 0) return ok(undefined);
  const more = problems.length > shownProblems ? `; and ${problems.length - shownProblems} more` : '';
  return fail(reasons.invalidSpec, `${problems.slice(0, shownProblems).join('; ')}${more}; nothing was applied`);
}
