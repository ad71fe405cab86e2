import { formatResourceKey, type ResourceKey } from './object.js';

export interface AppRef {
  readonly namespace: string;
  readonly name: string;
}

export function appKey(app: AppRef): string {
  return `${app.namespace}/${app.name}`;
}

/** `<app-ns>/<app-name>:<group>/<kind>:<namespace>/<name>` (DESIGN.md §1.3). */
export function trackingId(app: AppRef, key: ResourceKey): string {
  return `${appKey(app)}:${formatResourceKey(key)}`;
}

export interface ParsedTrackingId {
  readonly app: AppRef;
  readonly key: ResourceKey;
}

export function parseTrackingId(id: string): ParsedTrackingId | undefined {
  const m = /^([^/:]+)\/([^/:]+):([^/:]*)\/([^/:]+):([^/:]*)\/([^/:]+)$/.exec(id);
  if (m === null) return undefined;
  const [, appNs, appName, group, kind, namespace, name] = m;
  if (appNs === undefined || appName === undefined || group === undefined || kind === undefined || namespace === undefined || name === undefined) {
    return undefined;
  }
  return { app: { namespace: appNs, name: appName }, key: { group, kind, namespace, name } };
}
