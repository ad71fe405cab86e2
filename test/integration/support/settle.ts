import { isDeepStrictEqual } from 'node:util';
import type { CoreV1Event } from '@kubernetes/client-node';
import type { Application } from '../../../src/api/application.js';
import type { Apps } from './capstan.js';
import { eventually } from './kube.js';

const refreshAnnotation = 'capstan.dev/refresh';

/**
 * Annotates the app `capstan.dev/refresh=normal` and waits until the controller removed the
 * annotation. The controller removes it only after a full reconcile that read it (it re-resolves
 * the revision, compares, decides, and writes the status first), so when this returns, one
 * reconcile that started after the call has finished: whatever the state was before the call has
 * been looked at. Returns the app as it is then.
 */
export async function handledRefresh(apps: Apps, name: string, timeoutMs = 60_000): Promise<Application> {
  apps.annotate(name, { [refreshAnnotation]: 'normal' });
  return apps.waitFor(name, 'the refresh annotation to be handled', (a) => a.metadata.annotations?.[refreshAnnotation] === undefined, timeoutMs);
}

/**
 * Waits until `picture` reads the same before and after one handled refresh of the app: the
 * controller, and whatever it manages, have come to rest. Returns that picture.
 */
export async function settled<T>(apps: Apps, name: string, picture: () => Promise<T>, timeoutMs = 120_000): Promise<T> {
  return eventually(`${name} to come to rest (the same picture across a handled refresh)`, async () => {
    const before = await picture();
    await handledRefresh(apps, name);
    const after = await picture();
    return isDeepStrictEqual(before, after) ? after : undefined;
  }, timeoutMs);
}

/** Each Event by name, with its count: a new Event, or a repeat of an old one, changes it. */
export function eventCounts(events: readonly CoreV1Event[]): Record<string, number> {
  return Object.fromEntries(events.map((e) => [e.metadata.name ?? '', e.count ?? 1] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
