import { CORE_SCHEMA, load, Type } from 'js-yaml';
import { isRecord } from '../../api/object.js';
import type { HealthScript } from '../lua/runner.js';
import { HealthCustomizations, type HealthCustomization } from './customizations.js';

/** The ConfigMap in the controller's namespace that holds the health scripts (Argo CD's `argocd-cm` keys). */
export const capstanConfigName = 'capstan-config';

const prefix = 'resource.customizations';
/** Argo CD customization types Capstan does not carry out: said, never silently dropped. */
const otherTypes = new Set(['actions', 'ignoreDifferences', 'ignoreResourceUpdates', 'knownTypeFields']);

// Argo CD reads this YAML as go-yaml v2 does (YAML 1.1): a plain yes/no/on/off/y/n is a boolean too
// (this type takes the place of the core schema's booleans, so it holds true/false as well).
const yaml11Booleans = new Map<string, boolean>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((word) => [word, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((word) => [word, false] as const),
]);
const legacySchema = CORE_SCHEMA.extend({
  implicit: [new Type('tag:yaml.org,2002:bool', {
    kind: 'scalar',
    resolve: (data: string | null) => data !== null && yaml11Booleans.has(data),
    construct: (data: string) => yaml11Booleans.get(data) === true,
  })],
});

export interface ParsedHealthConfig {
  readonly customizations: HealthCustomizations;
  /** Keys that are wrong or that Capstan does not carry out, one sentence each. */
  readonly problems: string[];
}

interface Draft {
  source?: string;
  openLibs?: boolean;
  origin?: string;
}

/**
 * The health scripts of the ConfigMap's data, read as Argo CD reads argocd-cm:
 * `resource.customizations.health.<group>_<Kind>` (`<Kind>` or `_<Kind>` for the core group,
 * `all` for every kind) with `resource.customizations.useOpenLibs.<group>_<Kind>`, and the
 * older single key `resource.customizations` (YAML: `<group>/<Kind>` → `health.lua`,
 * `health.lua.useOpenLibs`), whose keys may hold wildcards. The split keys win over the YAML.
 */
export function parseHealthConfig(data: Readonly<Record<string, string>>, configName = capstanConfigName): ParsedHealthConfig {
  const drafts = new Map<string, Draft>();
  const problems: string[] = [];
  const draft = (key: string): Draft => {
    let d = drafts.get(key);
    if (d === undefined) drafts.set(key, (d = {}));
    return d;
  };
  const legacy = data[prefix];
  if (legacy !== undefined && legacy.trim() !== '') readLegacy(legacy, configName, draft, problems);
  for (const [key, value] of Object.entries(data).sort(([a], [b]) => a.localeCompare(b))) {
    if (!key.startsWith(`${prefix}.`)) continue;
    const rest = key.slice(prefix.length + 1);
    const dot = rest.indexOf('.');
    const type = dot < 0 ? rest : rest.slice(0, dot);
    const groupKind = dot < 0 ? '' : rest.slice(dot + 1);
    if (type !== 'health' && type !== 'useOpenLibs') {
      problems.push(otherTypes.has(type)
        ? `${key}: Capstan does not support resource customizations of type ${type}; the key has no effect`
        : `${key}: unknown resource customization type ${JSON.stringify(type)}`);
      continue;
    }
    const pattern = patternOf(groupKind);
    if (pattern === undefined) {
      problems.push(`${key}: expected ${prefix}.${type}.<group>_<Kind> or ${prefix}.${type}.<Kind>`);
      continue;
    }
    if (type === 'health') {
      Object.assign(draft(pattern), { source: value, origin: `${configName} key ${key}` });
    } else {
      const flag = parseGoBool(value);
      if (flag === undefined) problems.push(`${key}: ${JSON.stringify(value)} is not true or false`);
      else draft(pattern).openLibs = flag;
    }
  }
  const entries: HealthCustomization[] = [];
  for (const [pattern, d] of [...drafts.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (d.source === undefined || d.source.trim() === '') continue;
    const script: HealthScript = { source: d.source, openLibs: d.openLibs ?? false, origin: d.origin ?? `${configName} ${pattern}` };
    entries.push({ pattern, script });
  }
  return { customizations: new HealthCustomizations(entries, { wildcardCrossesSlash: true }), problems };
}

function readLegacy(text: string, configName: string, draft: (key: string) => Draft, problems: string[]): void {
  let doc: unknown;
  try {
    doc = load(text, { schema: legacySchema });
  } catch (err) {
    problems.push(`${prefix}: not YAML (${err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err)})`);
    return;
  }
  if (!isRecord(doc)) {
    problems.push(`${prefix}: expected a map of <group>/<Kind> to customizations`);
    return;
  }
  for (const [pattern, value] of Object.entries(doc)) {
    if (!isRecord(value)) {
      problems.push(`${prefix}: ${pattern}: expected a map`);
      continue;
    }
    for (const [field, fieldValue] of Object.entries(value)) {
      if (field === 'health.lua' && typeof fieldValue === 'string') {
        Object.assign(draft(pattern), { source: fieldValue, origin: `${configName} key ${prefix}, ${pattern}` });
      } else if (field === 'health.lua.useOpenLibs' && typeof fieldValue === 'boolean') {
        draft(pattern).openLibs = fieldValue;
      } else if (field === 'health.lua' || field === 'health.lua.useOpenLibs') {
        problems.push(`${prefix}: ${pattern}: ${field} must be a ${field === 'health.lua' ? 'string' : 'boolean'}`);
      } else {
        problems.push(`${prefix}: ${pattern}: Capstan does not support ${field}; it has no effect`);
      }
    }
  }
}

/** `<group>_<Kind>` → `group/Kind`; `<Kind>` and `_<Kind>` → `Kind` (the core group); `all` → every kind. */
function patternOf(groupKind: string): string | undefined {
  if (groupKind === 'all') return '*/*';
  const parts = groupKind.split('_');
  if (parts.length === 1 && parts[0] !== '') return groupKind;
  if (parts.length !== 2) return undefined;
  const [group = '', kind = ''] = parts;
  if (kind === '') return undefined;
  return group === '' ? kind : `${group}/${kind}`;
}

/** Go's strconv.ParseBool, which Argo CD reads these flags with. */
function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  return undefined;
}
