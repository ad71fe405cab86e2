import type { Application, Condition } from '../api/application.js';
import { conditionTypes, eventReasons, reasons } from '../api/conditions.js';
import { boundList } from '../api/text.js';
import { formatAppKey, parseAppKey } from '../api/tracking.js';
import { namespaceObjectKey, orphanedObjects, orphanedResourcesMode, type NamespaceObject } from '../projects/index.js';
import type { ReconcileContext } from './context.js';
import { intervalOf } from './interval.js';
import type { EventSink, NamespaceListing } from './ports.js';
import { findCondition, type ConditionInput } from './status/conditions.js';

/** How long a reconcile waits for a namespace's first listing; past that it goes on and a later reconcile uses the listing. */
const listingWaitMs = 5_000;

/** The promise's value, or undefined when it takes longer than `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      resolve(undefined);
    }, ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

const describeOrphan = (o: NamespaceObject): string => `${o.group === '' ? '' : `${o.group}/`}${o.kind} ${o.name}`;

/** `3 orphaned resources in namespace x: ConfigMap a, …`; what could not be listed is said too. */
function orphanMessage(namespace: string, orphans: readonly NamespaceObject[], listing: NamespaceListing): string {
  const count = `${orphans.length} orphaned resource${orphans.length === 1 ? '' : 's'} in namespace ${namespace}`;
  const notes = [
    ...(listing.truncated ? ['more objects than listed'] : []),
    ...(listing.skipped.length > 0 ? [`not listed: ${boundList(listing.skipped, { maxItems: 5, maxItemChars: 160 })}`] : []),
  ];
  return `${count}: ${boundList(orphans.map(describeOrphan), { maxItems: 10, maxItemChars: 200 })}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
}

/** The count an OrphanedResourceWarning condition states (0 without one). */
function countOf(condition: Condition | ConditionInput | undefined): number {
  const m = condition === undefined || condition.status !== 'True' ? null : /^(\d+) orphaned/u.exec(condition.message);
  return m === null ? 0 : Number(m[1]);
}

/**
 * The OrphanedResourceWarning condition of the app, as Argo CD sets it: when its project has
 * orphanedResources, the destination namespace is listed (at most once per interval) and objects
 * no app manages, not ignored, are counted; with `warn: true` and some found, the condition names
 * them. Never fails the reconcile, nor waits long: a listing that fails or takes longer than a
 * few seconds keeps the condition as it was.
 */
export async function orphanCondition(ctx: ReconcileContext): Promise<ConditionInput | undefined> {
  const { app, deps, project } = ctx;
  const namespace = app.spec.destination.namespace ?? '';
  const inventory = ctx.target?.namespaces;
  const mode = project === undefined ? 'off' : orphanedResourcesMode(project);
  if (project === undefined || mode === 'off' || namespace === '' || inventory === undefined || ctx.target === undefined) return undefined;
  const previous = findCondition(app.status?.conditions, conditionTypes.orphanedResourceWarning);
  let listing: NamespaceListing | undefined;
  try {
    listing = await within(inventory.list(namespace, { maxAgeMs: intervalOf(app, deps.settings.defaultIntervalMs, deps.settings.minIntervalMs) }), listingWaitMs);
  } catch (err) {
    ctx.log.debug({ err }, 'could not list the destination namespace for orphaned resources');
  }
  if (listing === undefined) return mode === 'warn' ? previous : undefined;
  const self = formatAppKey(ctx.key);
  const declared = new Set([...(ctx.prepared ?? []), ...(ctx.hooks ?? [])].map((p) => namespaceObjectKey(p.key)));
  const orphans = orphanedObjects(project, listing.objects, {
    cluster: { server: ctx.target.server, name: ctx.target.cluster },
    declared,
    managed: (app) => {
      const owner = parseAppKey(app);
      return owner !== undefined && (app === self || deps.apps.get(owner) !== undefined);
    },
  });
  if (orphans.length > 0) ctx.log.debug({ orphans: orphans.length, namespace, skipped: listing.skipped.length }, 'orphaned resources');
  if (mode !== 'warn' || orphans.length === 0) return undefined;
  return { type: conditionTypes.orphanedResourceWarning, status: 'True', reason: reasons.orphanedResources, message: orphanMessage(namespace, orphans, listing) };
}

/** An Event when the number of orphaned resources the app warns of changes (none after some included). */
export function recordOrphanEvent(events: EventSink, app: Application, before: readonly Condition[] | undefined, after: readonly Condition[] | undefined): void {
  const previous = countOf(findCondition(before, conditionTypes.orphanedResourceWarning));
  const next = findCondition(after, conditionTypes.orphanedResourceWarning);
  const count = countOf(next);
  if (count === previous) return;
  if (next !== undefined && count > 0) events.record(app, 'Warning', eventReasons.orphanedResourceWarning, next.message);
  else events.record(app, 'Normal', eventReasons.orphanedResourceWarning, `no orphaned resources in namespace ${app.spec.destination.namespace ?? ''} any more`);
}
