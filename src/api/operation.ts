/**
 * Argo CD's kubectl sync interface: a top-level `operation` field merge-patched into an
 * Application starts that operation; the controller clears the field when it takes it.
 *
 *   kubectl patch capp web --type merge -p '{"operation":{"sync":{"revision":"<sha>","prune":true}}}'
 *
 * Parsed here (pure); a field Capstan does not implement is refused by name.
 */
import type { RetryPolicy, SelectedResource } from './application.js';
import { isRecord } from './object.js';
import { fail, ok, type Result } from './result.js';
import { parseOptionList } from './annotations.js';
import { reasons } from './conditions.js';
import { appOptionValues, unsupportedOptions } from './sync-options.js';

export type { SelectedResource };

export interface RequestedOperation {
  readonly initiatedBy: string;
  /** Argo CD's `info` entry named `token` (what `capstan app sync` sets to wait for it). */
  readonly token?: string;
  readonly revision?: string;
  readonly prune: boolean;
  readonly dryRun: boolean;
  readonly resources?: SelectedResource[];
  readonly syncOptions?: string[];
  readonly retry?: RetryPolicy;
}

const operationFields = ['initiatedBy', 'info', 'sync', 'retry'];
const syncFields = ['revision', 'prune', 'dryRun', 'resources', 'syncOptions', 'syncStrategy', 'revisions', 'source', 'sources', 'manifests'];
const notYet: Readonly<Record<string, string>> = {
  syncStrategy: 'sync strategies (Capstan always applies with server-side apply and runs hooks)',
  revisions: 'multiple sources', sources: 'multiple sources', source: 'a source other than the app\'s', manifests: 'manifests given in the operation',
};

function stringOf(value: unknown, at: string, problems: string[]): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  problems.push(`${at} must be a string`);
  return undefined;
}

function booleanOf(value: unknown, at: string, problems: string[]): boolean {
  if (value === undefined) return false;
  if (typeof value === 'boolean') return value;
  problems.push(`${at} must be true or false`);
  return false;
}

function resourcesOf(value: unknown, problems: string[]): SelectedResource[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    problems.push('operation.sync.resources must be a list');
    return undefined;
  }
  const list: SelectedResource[] = [];
  value.forEach((item: unknown, i) => {
    const at = `operation.sync.resources[${i}]`;
    if (!isRecord(item) || typeof item['kind'] !== 'string' || typeof item['name'] !== 'string') {
      problems.push(`${at} needs kind and name`);
      return;
    }
    const group = stringOf(item['group'], `${at}.group`, problems) ?? '';
    const namespace = stringOf(item['namespace'], `${at}.namespace`, problems);
    list.push({ group, kind: item['kind'], name: item['name'], ...(namespace !== undefined && namespace !== '' ? { namespace } : {}) });
  });
  return list;
}

function retryOf(value: unknown, problems: string[]): RetryPolicy | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) {
    problems.push('operation.retry must be an object');
    return undefined;
  }
  const limit = value['limit'];
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < -1)) problems.push('operation.retry.limit must be an integer, -1 or more');
  const backoff = value['backoff'];
  if (backoff !== undefined && !isRecord(backoff)) problems.push('operation.retry.backoff must be an object');
  return value;
}

function initiatedByOf(value: unknown): string {
  if (!isRecord(value)) return 'user (operation)';
  if (value['automated'] === true) return 'automated (operation)';
  const username = value['username'];
  return typeof username === 'string' && username !== '' ? `user (${username.slice(0, 64)})` : 'user (operation)';
}

function tokenOf(value: unknown): string | undefined {
  if (!Array.isArray(value)) return undefined;
  const entry = value.find((i: unknown) => isRecord(i) && i['name'] === 'token' && typeof i['value'] === 'string') as { value: string } | undefined;
  return entry?.value;
}

/** The operation an Application's `operation` field asks for, or why it cannot be run. */
export function parseOperation(raw: unknown): Result<RequestedOperation> {
  const problems: string[] = [];
  if (!isRecord(raw)) return fail(reasons.invalidSpec, 'operation must be an object');
  for (const field of Object.keys(raw)) if (!operationFields.includes(field)) problems.push(`operation.${field} is not a field Capstan knows`);
  const sync = raw['sync'];
  if (!isRecord(sync)) problems.push('operation.sync is missing: only sync operations exist');
  const s = isRecord(sync) ? sync : {};
  for (const field of Object.keys(s)) {
    if (!syncFields.includes(field)) problems.push(`operation.sync.${field} is not a field Capstan knows`);
    const why = notYet[field];
    if (why !== undefined) problems.push(`operation.sync.${field} is not supported yet (${why})`);
  }
  const revision = stringOf(s['revision'], 'operation.sync.revision', problems);
  const prune = booleanOf(s['prune'], 'operation.sync.prune', problems);
  const dryRun = booleanOf(s['dryRun'], 'operation.sync.dryRun', problems);
  const resources = resourcesOf(s['resources'], problems);
  const options = s['syncOptions'];
  if (options !== undefined && (!Array.isArray(options) || !options.every((o) => typeof o === 'string'))) problems.push('operation.sync.syncOptions must be a list of strings');
  else if (Array.isArray(options)) {
    const parsed = new Map<string, string>();
    for (const entry of options) for (const [k, v] of parseOptionList(entry)) parsed.set(k, v);
    problems.push(...unsupportedOptions(parsed, appOptionValues, 'sync option').map((p) => `operation.sync.syncOptions: ${p}`));
  }
  const retry = retryOf(raw['retry'], problems);
  if (problems.length > 0) return fail(reasons.invalidSpec, `${problems.slice(0, 5).join('; ')}; the operation was not run`);
  const token = tokenOf(raw['info']);
  return ok({
    initiatedBy: initiatedByOf(raw['initiatedBy']), prune, dryRun,
    ...(token !== undefined ? { token } : {}),
    ...(revision !== undefined && revision !== '' ? { revision } : {}),
    ...(resources !== undefined ? { resources } : {}),
    ...(Array.isArray(options) ? { syncOptions: options as string[] } : {}),
    ...(retry !== undefined ? { retry } : {}),
  });
}

/** Whether an object is one a partial sync selected (namespace optional, as in Argo CD). */
export function isSelected(selected: readonly SelectedResource[], key: { group: string; kind: string; namespace: string; name: string }): boolean {
  return selected.some((r) => r.group === key.group && r.kind === key.kind && r.name === key.name && (r.namespace === undefined || r.namespace === key.namespace));
}
