import picomatch from 'picomatch';
import type { IgnoreDifference } from '../api/application.js';
import { isRecord, type KubeObject, type ResourceKey } from '../api/object.js';
import type { JqPathExpression } from './jq/path-expressions.js';
import { arrayIndexOf, parsePointer } from './pointer.js';

/** Fields to leave out of a comparison: RFC 6901 JSON pointers, field managers and jq path expressions. */
export interface IgnoreRule {
  pointers: string[];
  /** Fields owned by these field managers (in the live object) are left out too. */
  managers?: string[];
  /**
   * jq path expressions (jqPathExpressions). What they select differs from object to object:
   * selectIgnoredPaths resolves them to pointers in each side, for diffObjects' `selected`.
   */
  expressions?: JqPathExpression[];
}

/**
 * Rules from Application.spec.ignoreDifferences that apply to `key`, as Argo CD matches them:
 * group and kind are globs (`*`, `?`, `{a,b}`), and a missing or empty group is the core group
 * (`""`), so a Deployment needs `group: apps` (or `*`); a missing or empty kind, name or namespace
 * matches every value, a given name or namespace only itself. Entries that name no field (no
 * jsonPointers, managedFieldsManagers or jqPathExpressions) contribute nothing.
 */
export function ignoreRulesFor(key: ResourceKey, ignoreDifferences: readonly IgnoreDifference[] | undefined): IgnoreRule[] {
  if (ignoreDifferences === undefined) return [];
  return ignoreDifferences
    .map((entry, index) => ({ entry, index }))
    .filter(
      ({ entry }) =>
        groupMatches(entry.group, key.group) &&
        globMatches(entry.kind, key.kind) &&
        exactMatches(entry.name, key.name) &&
        exactMatches(entry.namespace, key.namespace),
    )
    .map(({ entry, index }): IgnoreRule => {
      const managers = entry.managedFieldsManagers ?? [];
      const expressions = jqExpressionsOf(entry, index);
      return {
        pointers: [...(entry.jsonPointers ?? [])],
        ...(managers.length > 0 ? { managers: [...managers] } : {}),
        ...(expressions.length > 0 ? { expressions } : {}),
      };
    })
    .filter((rule) => rule.pointers.length > 0 || (rule.managers?.length ?? 0) > 0 || (rule.expressions?.length ?? 0) > 0);
}

/** The entry's jqPathExpressions, each with the field it is written in. */
function jqExpressionsOf(entry: IgnoreDifference, index: number): JqPathExpression[] {
  const list: unknown = entry.jqPathExpressions;
  if (!Array.isArray(list)) return [];
  return (list as unknown[]).flatMap((expression, i) =>
    (typeof expression === 'string' ? [{ expression, field: `spec.ignoreDifferences[${index}].jqPathExpressions[${i}]` }] : []));
}

/**
 * Copy of obj with the pointed-at values removed. Missing paths, the whole-document pointer '' and malformed pointers
 * are ignored. Removing an array element shifts the later ones, so pointers are applied from the last position to the
 * first: every pointer refers to the object as given, whatever order the pointers come in.
 */
export function removePointers(obj: KubeObject, pointers: readonly string[]): KubeObject {
  const paths = pointers
    .map((pointer) => parsePointer(pointer))
    .filter((tokens): tokens is string[] => tokens !== undefined && tokens.length > 0);
  if (paths.length === 0) return obj;
  const copy = structuredClone(obj);
  for (const tokens of paths.sort(compareTokensDescending)) removePath(copy, tokens);
  return copy;
}

function removePath(root: unknown, tokens: readonly string[]): void {
  let parent: unknown = root;
  for (const token of tokens.slice(0, -1)) {
    parent = childOf(parent, token);
    if (parent === undefined) return;
  }
  const last = tokens[tokens.length - 1];
  if (last === undefined) return;
  if (Array.isArray(parent)) {
    const index = arrayIndexOf(last);
    if (index !== undefined && index < parent.length) parent.splice(index, 1);
  } else if (isRecord(parent) && Object.hasOwn(parent, last)) {
    Reflect.deleteProperty(parent, last);
  }
}

function childOf(value: unknown, token: string): unknown {
  if (Array.isArray(value)) {
    const index = arrayIndexOf(token);
    return index === undefined ? undefined : (value as unknown[])[index];
  }
  return isRecord(value) && Object.hasOwn(value, token) ? value[token] : undefined;
}

/** Descending, comparing numeric tokens as numbers, so a higher array index (and anything inside it) goes first. */
function compareTokensDescending(a: readonly string[], b: readonly string[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x === y) continue;
    const xi = arrayIndexOf(x);
    const yi = arrayIndexOf(y);
    if (xi !== undefined && yi !== undefined) return yi - xi;
    return x < y ? 1 : -1;
  }
  return b.length - a.length;
}

function globMatches(pattern: string | undefined, value: string): boolean {
  if (pattern === undefined || pattern === '') return true;
  // picomatch matches nothing against '' (the core group), where Argo CD's globs let `*` match it.
  if (value === '') return /^\*+$/.test(pattern) || picomatch.makeRe(pattern, { dot: true }).test('');
  return picomatch.isMatch(value, pattern, { dot: true });
}

/** A missing group is the core group, as in Argo CD (and in the Kubernetes API, where the core group is ""). */
function groupMatches(pattern: string | undefined, group: string): boolean {
  return pattern === undefined || pattern === '' ? group === '' : globMatches(pattern, group);
}

function exactMatches(expected: string | undefined, value: string): boolean {
  return expected === undefined || expected === '' || expected === value;
}
