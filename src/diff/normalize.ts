import { groupOf, isRecord, type KubeObject } from '../api/object.js';

/** kubectl's client-side apply record: it changes whenever anyone runs `kubectl apply`, never what runs. */
export const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Copy of obj without fields the server owns or that churn: metadata.managedFields, resourceVersion, uid, generation,
 * creationTimestamp, selfLink, metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'] (labels and
 * annotations maps that end up empty are dropped, so an absent map and `{}` compare equal), and top-level `status`.
 */
export function normalizeForCompare(obj: KubeObject): KubeObject {
  const { status: _status, metadata, ...rest } = obj;
  const {
    managedFields: _managedFields,
    resourceVersion: _resourceVersion,
    uid: _uid,
    generation: _generation,
    creationTimestamp: _creationTimestamp,
    selfLink: _selfLink,
    labels,
    annotations,
    ...keptMetadata
  } = metadata;
  const normalizedMetadata: KubeObject['metadata'] = { ...keptMetadata };
  const keptLabels = labels === undefined ? undefined : withoutKeys(labels, []);
  const keptAnnotations = annotations === undefined ? undefined : withoutKeys(annotations, [lastAppliedAnnotation]);
  if (keptLabels !== undefined && Object.keys(keptLabels).length > 0) normalizedMetadata.labels = keptLabels;
  if (keptAnnotations !== undefined && Object.keys(keptAnnotations).length > 0) normalizedMetadata.annotations = keptAnnotations;
  return structuredClone({ ...rest, metadata: normalizedMetadata });
}

/**
 * What the API server stores for a Secret: `stringData` merged into `data` (base64 of the UTF-8 bytes; a stringData
 * key overrides the same data key) and `stringData` removed. Other kinds, and Secrets without stringData, are returned
 * as they are (the same reference).
 */
export function normalizeSecret(obj: KubeObject): KubeObject {
  if (!isSecret(obj) || !('stringData' in obj)) return obj;
  const { stringData, ...rest } = obj;
  const data: Record<string, unknown> = isRecord(rest.data) ? { ...rest.data } : {};
  if (isRecord(stringData)) {
    for (const [key, value] of Object.entries(stringData)) {
      // The server rejects non-string values; numbers and booleans from YAML are stringified so an offline view stays useful.
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        data[key] = Buffer.from(String(value), 'utf8').toString('base64');
      }
    }
  }
  const merged: KubeObject = structuredClone(rest);
  if (Object.keys(data).length > 0) merged.data = data;
  return merged;
}

/** A core-group Secret. */
export function isSecret(obj: KubeObject): boolean {
  return obj.kind === 'Secret' && groupOf(obj.apiVersion) === '';
}

function withoutKeys(map: Record<string, string>, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(map).filter(([key]) => !keys.includes(key)));
}
