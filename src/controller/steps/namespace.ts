/**
 * The destination namespace of CreateNamespace=true: created when missing, and given the labels
 * and annotations of spec.syncPolicy.managedNamespaceMetadata on every sync.
 */
import type { OperationResourceResult } from '../../api/application.js';
import { appSyncOptions } from '../../sync/options.js';
import { targetOf, type ReconcileContext } from '../context.js';

export const createNamespaceMessage = 'CreateNamespace=true';

function destinationRef(ctx: ReconcileContext): { group: string; version: string; kind: string; namespace: string; name: string } | undefined {
  const name = ctx.app.spec.destination.namespace;
  if (name === undefined || name === '' || !appSyncOptions(ctx.app).createNamespace) return undefined;
  return { group: '', version: 'v1', kind: 'Namespace', namespace: '', name };
}

/**
 * Whether the namespace's labels or annotations differ from managedNamespaceMetadata (one GET,
 * only for apps that set it): a difference is something for a sync to do.
 */
export async function namespaceMetadataDiffers(ctx: ReconcileContext): Promise<boolean> {
  const ref = destinationRef(ctx);
  const managed = ctx.app.spec.syncPolicy?.managedNamespaceMetadata;
  if (ref === undefined || managed === undefined) return false;
  const live = await targetOf(ctx).live.fetch(ref);
  if (live === undefined) return true;
  const differs = (want: Record<string, string> | undefined, have: Record<string, string> | undefined): boolean =>
    Object.entries(want ?? {}).some(([k, v]) => have?.[k] !== v);
  return differs(managed.labels, live.metadata.labels) || differs(managed.annotations, live.metadata.annotations);
}

/** Creates the destination namespace when the app asks for it (CreateNamespace=true); a record when it did. */
export async function ensureNamespace(ctx: ReconcileContext): Promise<OperationResourceResult | undefined> {
  const ref = destinationRef(ctx);
  if (ref === undefined) return undefined;
  const name = ref.name;
  const managed = ctx.app.spec.syncPolicy?.managedNamespaceMetadata;
  const live = await targetOf(ctx).live.fetch(ref);
  if (live !== undefined && managed === undefined) return undefined;
  // managedNamespaceMetadata is applied on every sync (server-side apply: only Capstan's own
  // labels and annotations change, those of others are kept), as Argo CD does.
  const metadata = {
    name,
    ...(managed?.labels !== undefined ? { labels: managed.labels } : {}),
    ...(managed?.annotations !== undefined ? { annotations: managed.annotations } : {}),
  };
  await targetOf(ctx).applier.apply({ apiVersion: 'v1', kind: 'Namespace', metadata });
  if (live !== undefined) return undefined;
  return { group: '', kind: 'Namespace', namespace: '', name, action: 'created', message: createNamespaceMessage };
}
