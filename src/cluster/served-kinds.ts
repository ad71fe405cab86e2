import { isRecord } from '../api/object.js';
import type { Discovery, ResourceInfo } from './discovery.js';
import type { KubeHttp } from './http.js';

/** The group-versions the API server prefers: `v1` of the core group and each group's preferred version. */
export async function preferredGroupVersions(http: KubeHttp): Promise<string[]> {
  const [core, groups] = await Promise.all([http.json({ method: 'GET', path: '/api' }), http.json({ method: 'GET', path: '/apis' })]);
  const versions = isRecord(core) && Array.isArray(core['versions']) ? core['versions'].filter((v): v is string => typeof v === 'string') : [];
  const preferred = (isRecord(groups) && Array.isArray(groups['groups']) ? groups['groups'] : []).flatMap((g) => {
    const version = isRecord(g) && isRecord(g['preferredVersion']) ? g['preferredVersion']['groupVersion'] : undefined;
    return typeof version === 'string' ? [version] : [];
  });
  return [...versions, ...preferred];
}

/**
 * Every namespaced kind the API server serves that can be listed, at each group's preferred
 * version. A group-version whose document cannot be read (an aggregated API that is down) is
 * left out and named in `unreadable`.
 */
export async function listableNamespacedKinds(http: KubeHttp, discovery: Discovery): Promise<{ kinds: ResourceInfo[]; unreadable: string[] }> {
  const unreadable: string[] = [];
  const perVersion = await Promise.all((await preferredGroupVersions(http)).map(async (gv) => {
    try {
      return await discovery.kindsOf(gv);
    } catch {
      unreadable.push(gv);
      return [];
    }
  }));
  return { kinds: perVersion.flat().filter((info) => info.namespaced && info.verbs.includes('list')), unreadable };
}
