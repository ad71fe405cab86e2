// Hash routes of the dashboard: #/, #/apps/<ns>/<name>, #/apps/<ns>/<name>/diff.

export type Route =
  | { readonly view: 'list' }
  | { readonly view: 'app'; readonly namespace: string; readonly name: string }
  | { readonly view: 'diff'; readonly namespace: string; readonly name: string };

/** The route of a location hash ('#/apps/ns/name'); the list for anything unknown. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter((p) => p !== '').map(decodePart);
  const [first, namespace, name, rest] = parts;
  if (first !== 'apps' || namespace === undefined || name === undefined || parts.length > 4) return { view: 'list' };
  if (rest === undefined) return { view: 'app', namespace, name };
  return rest === 'diff' ? { view: 'diff', namespace, name } : { view: 'list' };
}

function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export const listHref = '#/';

export function appHref(namespace: string, name: string): string {
  return `#/apps/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

export function diffHref(namespace: string, name: string): string {
  return `${appHref(namespace, name)}/diff`;
}
