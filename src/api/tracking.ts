import { formatResourceKey, type KubeObject, type ResourceKey } from './object.js';

/** Identifies one Application: its namespace and name. */
export interface AppKey {
  readonly namespace: string;
  readonly name: string;
}

/** 'namespace/name': the work-queue key of an app, and the prefix of its tracking ids. */
export function formatAppKey(app: AppKey): string {
  return `${app.namespace}/${app.name}`;
}

/** The inverse of formatAppKey; undefined unless the text is exactly one 'namespace/name'. */
export function parseAppKey(text: string): AppKey | undefined {
  const slash = text.indexOf('/');
  if (slash <= 0 || slash === text.length - 1 || text.indexOf('/', slash + 1) >= 0) return undefined;
  return { namespace: text.slice(0, slash), name: text.slice(slash + 1) };
}

/** The key of an Application object. */
export function appKeyOf(app: KubeObject): AppKey {
  return { namespace: app.metadata.namespace ?? '', name: app.metadata.name ?? '' };
}

/** `<app-ns>/<app-name>:<group>/<kind>:<namespace>/<name>` (DESIGN.md §1.3). */
export function trackingId(app: AppKey, key: ResourceKey): string {
  return `${formatAppKey(app)}:${formatResourceKey(key)}`;
}

export interface ParsedTrackingId {
  readonly app: AppKey;
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
