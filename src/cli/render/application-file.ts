/** An Application read from a file for `capstan render -f` (pure): Capstan's or Argo CD's, checked as the controller checks a spec. */
import yaml from 'js-yaml';
import { appSources, isMultiSource, type Application, type ApplicationSource } from '../../api/application.js';
import { isRecord } from '../../api/object.js';
import { validateSpec } from '../../api/validate.js';

/** The app, and its sources: spec.source, or those of spec.sources (`multi`). */
export type ReadApplication =
  | { readonly ok: true; readonly app: Application; readonly sources: readonly ApplicationSource[]; readonly multi: boolean }
  | { readonly ok: false; readonly message: string };

const applicationGroups = ['capstan.dev', 'argoproj.io'];

function refused(message: string): ReadApplication {
  return { ok: false, message };
}

function documents(text: string): unknown[] | string {
  try {
    return yaml.loadAll(text).filter((d) => d !== null && d !== undefined);
  } catch (err) {
    return `not valid YAML: ${err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err)}`;
  }
}

const sourceStrings = ['repoURL', 'targetRevision', 'path', 'chart'];
const destinationStrings = ['server', 'name', 'namespace'];

function stringProblem(object: Record<string, unknown>, fields: readonly string[], at: string): string | undefined {
  const field = fields.find((f) => object[f] !== undefined && typeof object[f] !== 'string');
  return field === undefined ? undefined : `${at}.${field} must be a string`;
}

function sourceShapeProblem(source: unknown, at: string, fields: readonly string[]): string | undefined {
  if (!isRecord(source)) return `${at} must be a mapping`;
  if (typeof source.repoURL !== 'string' || source.repoURL === '') return `${at}.repoURL is required`;
  return stringProblem(source, fields, at);
}

function sourcesShapeProblem(spec: Record<string, unknown>): string | undefined {
  if (spec.sources === undefined) return sourceShapeProblem(spec.source, 'spec.source', sourceStrings);
  if (!Array.isArray(spec.sources)) return 'spec.sources must be a list of sources';
  for (const [i, source] of (spec.sources as unknown[]).entries()) {
    const problem = sourceShapeProblem(source, `spec.sources[${i}]`, [...sourceStrings, 'ref']);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** The shape the CRD's schema gives the fields validateSpec reads (the API server checks it for the controller). */
function shapeProblem(spec: Record<string, unknown>): string | undefined {
  const sources = sourcesShapeProblem(spec);
  if (sources !== undefined) return sources;
  if (spec.destination !== undefined && !isRecord(spec.destination)) return 'spec.destination must be a mapping';
  const destination = isRecord(spec.destination) ? stringProblem(spec.destination, destinationStrings, 'spec.destination') : undefined;
  if (destination !== undefined) return destination;
  if (spec.project !== undefined && typeof spec.project !== 'string') return 'spec.project must be a string';
  const policy = spec.syncPolicy;
  if (policy === undefined) return undefined;
  if (!isRecord(policy)) return 'spec.syncPolicy must be a mapping';
  const options = policy.syncOptions;
  if (options !== undefined && !(Array.isArray(options) && options.every((o) => typeof o === 'string'))) return 'spec.syncPolicy.syncOptions must be a list of strings';
  return undefined;
}

/**
 * The one Application of a YAML or JSON text (apiVersion capstan.dev/… or argoproj.io/…), or
 * why it is not one or would not be rendered: the InvalidSpec message validateSpec gives the
 * controller, without its "nothing was applied".
 */
export function readApplication(text: string): ReadApplication {
  const docs = documents(text);
  if (typeof docs === 'string') return refused(docs);
  const [doc, ...more] = docs;
  if (doc === undefined) return refused('holds no Application');
  if (more.length > 0) return refused(`holds ${docs.length} documents; give a file of one Application`);
  if (!isRecord(doc)) return refused('is not an Application (not a mapping)');
  const group = typeof doc.apiVersion === 'string' ? doc.apiVersion.split('/')[0] ?? '' : '';
  if (doc.kind !== 'Application' || !applicationGroups.includes(group)) {
    return refused(`is a ${String(doc.kind)} of ${String(doc.apiVersion)}, not an Application (capstan.dev/v1alpha1 or argoproj.io/v1alpha1)`);
  }
  if (!isRecord(doc.spec)) return refused('spec must be a mapping');
  const problem = shapeProblem(doc.spec);
  if (problem !== undefined) return refused(`InvalidSpec: ${problem}`);
  const metadata = isRecord(doc.metadata) ? doc.metadata : {};
  if (metadata.name !== undefined && typeof metadata.name !== 'string') return refused('metadata.name must be a string');
  const app = { ...doc, metadata, spec: { ...doc.spec, destination: doc.spec.destination ?? {} } } as unknown as Application;
  const valid = validateSpec(app);
  if (!valid.ok) return refused(`${valid.error.reason}: ${valid.error.message.replace(/; nothing was applied$/, '')}`);
  return { ok: true, app, sources: appSources(app.spec), multi: isMultiSource(app.spec) };
}
