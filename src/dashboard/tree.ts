// The resource tree of an Application: its managed objects (status.resources) as roots, and
// under each the live objects that name it as owner (ownerReferences), recursively.
import type { ResourceStatus } from '../api/application.js';
import type { HealthAssessment } from '../api/health.js';
import { isRecord, type KubeObject } from '../api/object.js';
import type { TreeNode } from './api-types.js';

/** Deeper than any real ownership chain (CronJob → Job → Pod is 3); bounds a cycle of ownerReferences. */
const maxDepth = 8;

const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');
const versionOf = (apiVersion: string): string => apiVersion.slice(apiVersion.indexOf('/') + 1);
const keyOf = (group: string, kind: string, namespace: string | undefined, name: string): string => `${group}/${kind}/${namespace ?? ''}/${name}`;

/** The live objects owned by each uid. */
function ownedByUid(objects: readonly KubeObject[]): Map<string, KubeObject[]> {
  const byOwner = new Map<string, KubeObject[]>();
  for (const obj of objects) {
    for (const ref of obj.metadata.ownerReferences ?? []) {
      const uid = isRecord(ref) ? ref['uid'] : undefined;
      if (typeof uid !== 'string') continue;
      const list = byOwner.get(uid) ?? [];
      list.push(obj);
      byOwner.set(uid, list);
    }
  }
  return byOwner;
}

const byKindAndName = (a: TreeNode, b: TreeNode): number => `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`);

/**
 * Builds the tree. `managedLive` are the live managed objects (found by group/kind/namespace/name);
 * `candidates` are live objects that may be owned by them (ReplicaSets, Pods, Jobs…); `health`
 * assesses an owned object.
 */
export function buildTree(
  resources: readonly ResourceStatus[],
  managedLive: readonly KubeObject[],
  candidates: readonly KubeObject[],
  health: (obj: KubeObject) => HealthAssessment | null,
): TreeNode[] {
  const live = new Map(managedLive.map((o) => [keyOf(groupOf(o.apiVersion), o.kind, o.metadata.namespace, o.metadata.name ?? ''), o]));
  const owned = ownedByUid(candidates);
  const childrenOf = (uid: string | undefined, depth: number, seen: ReadonlySet<string>): TreeNode[] => {
    if (uid === undefined || depth >= maxDepth) return [];
    return (owned.get(uid) ?? [])
      .filter((o) => o.metadata.uid !== undefined && !seen.has(o.metadata.uid))
      .map((o): TreeNode => {
        const assessed = health(o);
        const childUid = o.metadata.uid;
        return {
          group: groupOf(o.apiVersion), version: versionOf(o.apiVersion), kind: o.kind,
          ...(o.metadata.namespace !== undefined ? { namespace: o.metadata.namespace } : {}),
          name: o.metadata.name ?? '', ...(childUid !== undefined ? { uid: childUid } : {}),
          managed: false, live: true,
          ...(assessed !== null ? { health: assessed.status, ...(assessed.message !== undefined ? { healthMessage: assessed.message } : {}) } : {}),
          children: childrenOf(childUid, depth + 1, new Set([...seen, childUid ?? ''])),
        };
      })
      .sort(byKindAndName);
  };
  return resources.map((r): TreeNode => {
    const obj = live.get(keyOf(r.group, r.kind, r.namespace === '' ? undefined : r.namespace, r.name));
    const uid = obj?.metadata.uid;
    return {
      group: r.group, version: r.version, kind: r.kind,
      ...(r.namespace !== '' ? { namespace: r.namespace } : {}),
      name: r.name, ...(uid !== undefined ? { uid } : {}),
      managed: true, live: obj !== undefined, sync: r.status,
      ...(r.health !== undefined ? { health: r.health.status, ...(r.health.message !== undefined ? { healthMessage: r.health.message } : {}) } : {}),
      children: childrenOf(uid, 0, new Set(uid === undefined ? [] : [uid])),
    };
  });
}
