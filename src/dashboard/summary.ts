// What the Applications view shows of each app, and what the dashboard shows of a live object.
import { isCompleted, primarySource, type Application } from '../api/application.js';
import { isRecord, type KubeObject } from '../api/object.js';
import { redactUrl } from '../git/url.js';
import type { AppSummary } from './api-types.js';

/** A row of the list: sync and health as the controller last wrote them. */
export function summarize(app: Application): AppSummary {
  const source = primarySource(app.spec);
  const destination = app.spec.destination;
  const op = app.status?.operationState;
  const lastSyncedAt = op !== undefined && isCompleted(op.phase) ? op.finishedAt : app.status?.history?.[0]?.deployedAt;
  return {
    namespace: app.metadata.namespace ?? '', name: app.metadata.name ?? '',
    project: app.spec.project ?? 'default',
    sync: app.status?.sync?.status ?? 'Unknown', health: app.status?.health?.status ?? 'Unknown',
    ...(app.status?.sync?.revision !== undefined ? { revision: app.status.sync.revision } : {}),
    ...(lastSyncedAt !== undefined ? { lastSyncedAt } : {}),
    cluster: destination.name ?? destination.server ?? 'in-cluster',
    ...(destination.namespace !== undefined ? { destinationNamespace: destination.namespace } : {}),
    repoURL: redactUrl(source.repoURL),
    ...(source.path !== undefined ? { path: source.path } : {}),
    ...(source.targetRevision !== undefined ? { targetRevision: source.targetRevision } : {}),
    ...(op !== undefined ? { operationPhase: op.phase } : {}),
  };
}

const lastApplied = 'kubectl.kubernetes.io/last-applied-configuration';
const hidden = '++++++++';

/**
 * A live object as the dashboard shows it: a Secret's values (data, stringData, and the copy
 * kubectl keeps in an annotation) replaced by "++++++++"; managedFields left out.
 */
export function redactManifest(obj: KubeObject): Record<string, unknown> {
  const { managedFields: _managed, ...metadata } = obj.metadata as KubeObject['metadata'] & { managedFields?: unknown };
  const copy: Record<string, unknown> = { ...obj, metadata };
  if (obj.kind !== 'Secret' || obj.apiVersion !== 'v1') return copy;
  for (const field of ['data', 'stringData']) {
    const values = obj[field];
    if (isRecord(values)) copy[field] = Object.fromEntries(Object.keys(values).map((k) => [k, hidden]));
  }
  const annotations = obj.metadata.annotations;
  if (annotations?.[lastApplied] !== undefined) copy['metadata'] = { ...metadata, annotations: { ...annotations, [lastApplied]: hidden } };
  return copy;
}
