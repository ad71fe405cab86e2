import { isRecord } from '../api/object.js';
import { globProblem } from './glob.js';
import { cronProblem, durationProblem, timeZoneProblem } from './schedule.js';
import type { AppProject, AppProjectSpec, ClusterResourceRestriction, DestinationServiceAccount, ProjectDestination, SyncWindow } from './types.js';

/** Argo CD fields Capstan does not carry out: refused unless they are left at their neutral value. */
const unsupportedSpecFields: Readonly<Record<string, (value: unknown) => boolean>> = {
  roles: (value) => Array.isArray(value) && value.length === 0,
  signatureKeys: (value) => Array.isArray(value) && value.length === 0,
  sourceIntegrity: (value) => value === null,
  permitOnlyProjectScopedClusters: (value) => value === false,
};

const specFields: readonly (keyof AppProjectSpec)[] = [
  'description', 'sourceRepos', 'destinations', 'clusterResourceWhitelist', 'clusterResourceBlacklist',
  'namespaceResourceWhitelist', 'namespaceResourceBlacklist', 'sourceNamespaces', 'syncWindows',
  'orphanedResources', 'destinationServiceAccounts', 'approval',
];
const destinationFields = ['server', 'name', 'namespace'];
const groupKindFields = ['group', 'kind'];
const clusterRestrictionFields = ['group', 'kind', 'name'];
const windowFields = ['kind', 'schedule', 'duration', 'applications', 'namespaces', 'clusters', 'manualSync', 'timeZone', 'andOperator', 'description'];
const orphanedFields = ['warn', 'ignore'];
const orphanedKeyFields = ['group', 'kind', 'name'];
const serviceAccountFields = ['server', 'namespace', 'defaultServiceAccount'];
const approvalFields = ['destinations', 'selfHeal'];

/** A ServiceAccount name, or `namespace:name` (DNS labels and subdomains). */
const serviceAccountName = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?:)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

const stringOr = (value: unknown): string => (typeof value === 'string' ? value : '');

class Problems {
  readonly list: string[] = [];

  add(path: string, message: string): void {
    this.list.push(`${path}: ${message}`);
  }

  unknownFields(path: string, value: object, known: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) this.add(`${path}.${key}`, 'is not a field Capstan knows or carries out');
    }
  }

  glob(path: string, pattern: string | undefined, separators = ''): void {
    if (pattern === undefined) return;
    const problem = globProblem(pattern.startsWith('!') ? pattern.slice(1) : pattern, separators);
    if (problem !== undefined) this.add(path, problem);
  }

  duplicates(path: string, keys: readonly string[], what: string): void {
    const seen = new Set<string>();
    keys.forEach((key, i) => {
      if (seen.has(key)) this.add(`${path}[${i}]`, `${what} ${JSON.stringify(key)} is listed twice`);
      seen.add(key);
    });
  }
}

function checkSpecFields(problems: Problems, spec: AppProjectSpec): void {
  for (const [key, value] of Object.entries(spec)) {
    const neutral = unsupportedSpecFields[key];
    if (neutral !== undefined) {
      if (!neutral(value)) problems.add(`spec.${key}`, 'is an Argo CD field Capstan does not carry out; remove it');
    } else if (!(specFields as readonly string[]).includes(key)) {
      problems.add(`spec.${key}`, 'is not a field Capstan knows or carries out');
    }
  }
}

function checkSourceRepos(problems: Problems, repos: readonly string[]): void {
  repos.forEach((repo, i) => {
    if (repo === '!*') problems.add(`spec.sourceRepos[${i}]`, '"!*" would deny every repository; remove the entry');
    else problems.glob(`spec.sourceRepos[${i}]`, repo, '/');
  });
  problems.duplicates('spec.sourceRepos', repos, 'repository');
}

function checkDestinations(problems: Problems, path: string, destinations: readonly ProjectDestination[]): void {
  destinations.forEach((dest, i) => {
    const entry = `${path}[${i}]`;
    problems.unknownFields(entry, dest, destinationFields);
    for (const field of destinationFields as (keyof ProjectDestination)[]) {
      if (dest[field] === '!*') problems.add(`${entry}.${field}`, '"!*" would deny every destination; remove the entry');
      else problems.glob(`${entry}.${field}`, dest[field]);
    }
  });
  const keys = destinations.map((d) => `${d.server !== undefined && d.server !== '' ? d.server : d.name ?? ''}/${d.namespace ?? ''}`);
  problems.duplicates(path, keys, 'destination');
}

/** A destination rule as stored: an object whose fields are strings, naming a cluster by server or name. */
function checkDestinationShape(problems: Problems, path: string, value: unknown): value is ProjectDestination {
  if (!isRecord(value)) {
    problems.add(path, 'must be an object with server or name, and namespace');
    return false;
  }
  let ok = true;
  for (const field of destinationFields) {
    if (value[field] !== undefined && typeof value[field] !== 'string') {
      problems.add(`${path}.${field}`, `must be a string (a glob), not ${JSON.stringify(value[field])}`);
      ok = false;
    }
  }
  const names = (field: string): boolean => typeof value[field] === 'string' && value[field] !== '';
  if (ok && !names('server') && !names('name')) problems.add(path, 'names no cluster (by server or by name), so it would match no app');
  return ok;
}

/**
 * spec.approval: which apps require approval (destinations, the rules of spec.destinations) and
 * whether self-heal waits for it too. Read as stored: an older CRD schema may not type it.
 */
function checkApproval(problems: Problems, stored: unknown): void {
  const path = 'spec.approval';
  if (!isRecord(stored)) {
    problems.add(path, 'must be an object with destinations and selfHeal');
    return;
  }
  problems.unknownFields(path, stored, approvalFields);
  const selfHeal = stored['selfHeal'];
  if (selfHeal !== undefined && typeof selfHeal !== 'boolean') problems.add(`${path}.selfHeal`, `must be true or false, not ${JSON.stringify(selfHeal)}`);
  const destinations = stored['destinations'];
  if (destinations === undefined) return;
  if (!Array.isArray(destinations)) {
    problems.add(`${path}.destinations`, 'must be a list of destinations (server or name, and namespace)');
    return;
  }
  const entries: unknown[] = destinations;
  const shaped = entries.map((entry, i) => checkDestinationShape(problems, `${path}.destinations[${i}]`, entry));
  if (shaped.every(Boolean)) checkDestinations(problems, `${path}.destinations`, entries as ProjectDestination[]);
}

function checkResourceList(problems: Problems, field: string, list: readonly ClusterResourceRestriction[], fields: readonly string[]): void {
  list.forEach((item, i) => {
    const path = `spec.${field}[${i}]`;
    problems.unknownFields(path, item, fields);
    problems.glob(`${path}.group`, item.group, '/');
    problems.glob(`${path}.kind`, item.kind, '/');
    problems.glob(`${path}.name`, item.name, '/');
  });
}

function checkSourceNamespaces(problems: Problems, namespaces: readonly string[]): void {
  namespaces.forEach((namespace, i) => {
    const path = `spec.sourceNamespaces[${i}]`;
    if (namespace.length > 1 && namespace.startsWith('/') && namespace.endsWith('/')) problems.add(path, 'regular expressions are not supported; use a glob');
    else problems.glob(path, namespace);
  });
  problems.duplicates('spec.sourceNamespaces', namespaces, 'namespace');
}

function checkWindow(problems: Problems, window: SyncWindow, path: string): void {
  // Argo CD's syncOverrun lets a running sync outlast its window; only its neutral value is taken.
  const neutral = (window as unknown as Record<string, unknown>)['syncOverrun'] === false ? ['syncOverrun'] : [];
  problems.unknownFields(path, window, [...windowFields, ...neutral]);
  // Read as the API server stored them: the CRD schema requires these, an older schema may not have.
  const kind: unknown = window.kind;
  if (kind !== 'allow' && kind !== 'deny') problems.add(`${path}.kind`, `${JSON.stringify(kind ?? '')} is neither allow nor deny`);
  const schedule = cronProblem(stringOr(window.schedule));
  if (schedule !== undefined) problems.add(`${path}.schedule`, schedule);
  const duration = durationProblem(stringOr(window.duration));
  if (duration !== undefined) problems.add(`${path}.duration`, duration);
  if (window.timeZone !== undefined && window.timeZone !== '') {
    const zone = timeZoneProblem(window.timeZone);
    if (zone !== undefined) problems.add(`${path}.timeZone`, zone);
  }
  const selectors = { applications: window.applications, namespaces: window.namespaces, clusters: window.clusters };
  if (Object.values(selectors).every((list) => (list ?? []).length === 0)) problems.add(path, 'names no applications, namespaces or clusters, so it would apply to nothing');
  for (const [field, list] of Object.entries(selectors)) (list ?? []).forEach((pattern, i) => { problems.glob(`${path}.${field}[${i}]`, pattern); });
  if ((window.description ?? '').length > 255) problems.add(`${path}.description`, 'is longer than 255 characters');
}

function checkServiceAccounts(problems: Problems, accounts: readonly DestinationServiceAccount[]): void {
  accounts.forEach((account, i) => {
    const path = `spec.destinationServiceAccounts[${i}]`;
    problems.unknownFields(path, account, serviceAccountFields);
    for (const field of ['server', 'namespace'] as const) {
      const pattern = account[field];
      if (pattern?.includes('!') === true) problems.add(`${path}.${field}`, '"!" cannot be used here: entries only grant, the first match wins');
      else problems.glob(`${path}.${field}`, pattern);
    }
    const name = stringOr(account.defaultServiceAccount);
    if (!serviceAccountName.test(name)) {
      problems.add(`${path}.defaultServiceAccount`, `${JSON.stringify(name)} is not a ServiceAccount name or namespace:name`);
    }
  });
  problems.duplicates('spec.destinationServiceAccounts', accounts.map((a) => `${a.server}/${a.namespace ?? ''}`), 'destination');
}

/**
 * The problems that keep a project from being used, each `spec.<path>: <what is wrong>`: fields
 * Capstan does not carry out, globs that do not compile, sync windows whose kind, schedule,
 * duration or time zone is wrong or that select nothing, ServiceAccount names that are not names,
 * approval rules that are not destinations or name no cluster, entries listed twice. An empty list means the project can be used.
 */
export function validateProject(project: AppProject): string[] {
  const problems = new Problems();
  const stored: unknown = project.spec;
  if (stored === null || typeof stored !== 'object') return ['spec: is missing'];
  const spec = stored as AppProjectSpec;
  checkSpecFields(problems, spec);
  checkSourceRepos(problems, spec.sourceRepos ?? []);
  checkDestinations(problems, 'spec.destinations', spec.destinations ?? []);
  checkResourceList(problems, 'clusterResourceWhitelist', spec.clusterResourceWhitelist ?? [], clusterRestrictionFields);
  checkResourceList(problems, 'clusterResourceBlacklist', spec.clusterResourceBlacklist ?? [], clusterRestrictionFields);
  checkResourceList(problems, 'namespaceResourceWhitelist', spec.namespaceResourceWhitelist ?? [], groupKindFields);
  checkResourceList(problems, 'namespaceResourceBlacklist', spec.namespaceResourceBlacklist ?? [], groupKindFields);
  checkSourceNamespaces(problems, spec.sourceNamespaces ?? []);
  (spec.syncWindows ?? []).forEach((window, i) => { checkWindow(problems, window, `spec.syncWindows[${i}]`); });
  if (spec.orphanedResources !== undefined) {
    problems.unknownFields('spec.orphanedResources', spec.orphanedResources, orphanedFields);
    (spec.orphanedResources.ignore ?? []).forEach((key, i) => { problems.unknownFields(`spec.orphanedResources.ignore[${i}]`, key, orphanedKeyFields); });
  }
  checkServiceAccounts(problems, spec.destinationServiceAccounts ?? []);
  if (spec.approval !== undefined) checkApproval(problems, spec.approval);
  return problems.list;
}
