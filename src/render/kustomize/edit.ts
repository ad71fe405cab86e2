import type { KustomizeSource } from '../../api/application.js';
import { isRecord } from '../../api/object.js';
import { parseImageOverride, setImage, type KustomizeImage } from './images.js';

export type Kustomization = Record<string, unknown>;

export type Edited = { ok: true; kustomization: Kustomization } | { ok: false; message: string };

/** Does the source set any option that changes the kustomization? */
export function hasKustomizeEdits(options: KustomizeSource): boolean {
  return Object.entries(options).some(([key, value]) => !['forceCommonLabels', 'forceCommonAnnotations', 'labelWithoutSelector', 'ignoreMissingComponents'].includes(key) && value !== undefined);
}

function stringMap(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]).slice() : [];
}

/** Adds labels or annotations to a map of the kustomization; a key already set to another value needs `force`, as `kustomize edit add` does. */
function addPairs(existing: Record<string, string>, added: Record<string, string>, force: boolean, what: string): { ok: true; pairs: Record<string, string> } | { ok: false; message: string } {
  const pairs = { ...existing };
  for (const [key, value] of Object.entries(added)) {
    if (!force && key in pairs && pairs[key] !== value) {
      return { ok: false, message: `the kustomization already sets ${what} "${key}" to "${pairs[key]}"; set force${what === 'label' ? 'CommonLabels' : 'CommonAnnotations'} to replace it` };
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
  if (options.namePrefix !== undefined) k.namePrefix = options.namePrefix;
  if (options.nameSuffix !== undefined) k.nameSuffix = options.nameSuffix;
  if (options.namespace !== undefined) k.namespace = options.namespace;
  if (options.images !== undefined && options.images.length > 0) {
    let images = list(k.images).filter(isRecord) as unknown as KustomizeImage[];
    for (const text of options.images) {
      const parsed = parseImageOverride(text);
      if (!parsed.ok) return parsed;
      images = setImage(images, parsed.image);
    }
    k.images = images;
  }
  if (options.commonLabels !== undefined && Object.keys(options.commonLabels).length > 0) {
    const force = options.forceCommonLabels === true;
    if (options.labelWithoutSelector === true) {
      const entries = list(k.labels);
      const taken = Object.assign({}, stringMap(k.commonLabels), ...entries.filter(isRecord).map((e) => stringMap(e.pairs))) as Record<string, string>;
      const added = addPairs(taken, options.commonLabels, force, 'label');
      if (!added.ok) return added;
      // Replaced keys leave the entries that set them, so the new value is the only one.
      const cleaned = entries.map((e) => (isRecord(e) ? { ...e, pairs: Object.fromEntries(Object.entries(stringMap(e.pairs)).filter(([key]) => !(key in (options.commonLabels ?? {})))) } : e));
      if (isRecord(k.commonLabels)) k.commonLabels = Object.fromEntries(Object.entries(stringMap(k.commonLabels)).filter(([key]) => !(key in (options.commonLabels ?? {}))));
      k.labels = [...cleaned, { pairs: { ...options.commonLabels }, includeSelectors: false }];
    } else {
      const added = addPairs(stringMap(k.commonLabels), options.commonLabels, force, 'label');
      if (!added.ok) return added;
      k.commonLabels = added.pairs;
    }
  }
  if (options.commonAnnotations !== undefined && Object.keys(options.commonAnnotations).length > 0) {
    const added = addPairs(stringMap(k.commonAnnotations), options.commonAnnotations, options.forceCommonAnnotations === true, 'annotation');
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
