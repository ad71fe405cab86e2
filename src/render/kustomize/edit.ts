import type { KustomizeSource } from '../../api/application.js';
import { isRecord } from '../../api/object.js';
import { parseImageOverride, setImages, type KustomizeImage } from './images.js';

export type Kustomization = Record<string, unknown>;

export type Edited = { ok: true; kustomization: Kustomization } | { ok: false; message: string };

/** Does the source set any option that changes the kustomization? */
export function hasKustomizeEdits(options: KustomizeSource): boolean {
  return Object.entries(options).some(([key, value]) => !['forceCommonLabels', 'forceCommonAnnotations', 'labelWithoutSelector', 'ignoreMissingComponents'].includes(key) && value !== undefined);
}

/** A copy of a map of the kustomization; values that are not strings stay, for kustomize to refuse. */
function pairsOf(value: unknown): Record<string, unknown> {
  return isRecord(value) ? { ...value } : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]).slice() : [];
}

/**
 * Adds labels or annotations to a map of the kustomization; a key already set to another value
 * needs `force`, as with `kustomize edit add` (which refuses even the same value; here that is
 * no change, so it is let through).
 */
function addPairs(existing: Record<string, unknown>, added: Record<string, string>, force: boolean, what: string): { ok: true; pairs: Record<string, unknown> } | { ok: false; message: string } {
  const pairs = { ...existing };
  for (const [key, value] of Object.entries(added)) {
    if (!force && key in pairs && pairs[key] !== value) {
      return { ok: false, message: `the kustomization already sets ${what} "${key}" to "${String(pairs[key])}"; set force${what === 'label' ? 'CommonLabels' : 'CommonAnnotations'} to replace it` };
    }
    pairs[key] = value;
  }
  return { ok: true, pairs };
}

function replicaCount(count: number | string): number | undefined {
  const n = typeof count === 'number' ? count : /^\d+$/.test(count.trim()) ? Number(count.trim()) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/**
 * The kustomization with Argo CD's kustomize options written into it, as Argo CD's
 * `kustomize edit` calls would leave it: prefix, suffix and namespace replaced, images and
 * replicas set by name, labels and annotations added, patches and components appended.
 * `existingComponents` says which of the option's components are on disk (for ignoreMissingComponents).
 */
export function applyKustomizeOptions(original: Kustomization, options: KustomizeSource, existingComponents: ReadonlySet<string>): Edited {
  const k: Kustomization = { ...original };
  // An empty one leaves the kustomization's, as Argo CD runs no `kustomize edit set` for it.
  if (options.namePrefix !== undefined && options.namePrefix !== '') k.namePrefix = options.namePrefix;
  if (options.nameSuffix !== undefined && options.nameSuffix !== '') k.nameSuffix = options.nameSuffix;
  if (options.namespace !== undefined && options.namespace !== '') k.namespace = options.namespace;
  if (options.images !== undefined && options.images.length > 0) {
    const overrides: KustomizeImage[] = [];
    for (const text of options.images) {
      const parsed = parseImageOverride(text);
      if (!parsed.ok) return parsed;
      overrides.push(parsed.image);
    }
    // One `kustomize edit set image` with every override, as Argo CD runs it.
    k.images = setImages(list(k.images).filter(isRecord) as unknown as KustomizeImage[], overrides);
  }
  if (options.commonLabels !== undefined && Object.keys(options.commonLabels).length > 0) {
    const force = options.forceCommonLabels === true;
    if (options.labelWithoutSelector === true) {
      // `kustomize edit add label --without-selector`: into the first `labels` entry that
      // includes neither selectors nor templates, else a new one; commonLabels and the other
      // entries are left as they are.
      const entries = list(k.labels);
      const index = entries.findIndex((e) => isRecord(e) && e.includeSelectors !== true && e.includeTemplates !== true);
      const entry = index >= 0 ? (entries[index] as Record<string, unknown>) : undefined;
      const added = addPairs(pairsOf(entry?.pairs), options.commonLabels, force, 'label');
      if (!added.ok) return added;
      if (entry === undefined) entries.push({ pairs: added.pairs, includeSelectors: false });
      else entries[index] = { ...entry, pairs: added.pairs };
      k.labels = entries;
    } else {
      const added = addPairs(pairsOf(k.commonLabels), options.commonLabels, force, 'label');
      if (!added.ok) return added;
      k.commonLabels = added.pairs;
    }
  }
  if (options.commonAnnotations !== undefined && Object.keys(options.commonAnnotations).length > 0) {
    const added = addPairs(pairsOf(k.commonAnnotations), options.commonAnnotations, options.forceCommonAnnotations === true, 'annotation');
    if (!added.ok) return added;
    k.commonAnnotations = added.pairs;
  }
  if (options.replicas !== undefined && options.replicas.length > 0) {
    const replicas = list(k.replicas).filter(isRecord);
    for (const r of options.replicas) {
      const count = replicaCount(r.count);
      if (count === undefined) return { ok: false, message: `replicas: the count of "${r.name}" is not a whole number (${String(r.count)})` };
      const index = replicas.findIndex((e) => e.name === r.name);
      if (index >= 0) replicas[index] = { name: r.name, count };
      else replicas.push({ name: r.name, count });
    }
    k.replicas = replicas;
  }
  if (options.patches !== undefined && options.patches.length > 0) {
    k.patches = [...list(k.patches), ...options.patches.map((p) => ({ ...p }))];
  }
  if (options.components !== undefined && options.components.length > 0) {
    const wanted = options.components.filter((c) => existingComponents.has(c) || options.ignoreMissingComponents !== true);
    const components = list(k.components);
    for (const c of wanted) if (!components.includes(c)) components.push(c);
    if (components.length > 0) k.components = components;
  }
  return { ok: true, kustomization: k };
}
