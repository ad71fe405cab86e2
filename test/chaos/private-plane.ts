/**
 * A control plane of the campaign's own, for the scenarios that stop its API server or etcd: the
 * shared one of the integration tests is never touched. `up` reuses it when it already runs.
 */
import { join } from 'node:path';
import { down, etcdClientUrl, up } from '../cluster/launcher.js';
import { repoRoot } from '../cluster/paths.js';

export const privatePlaneDir = join(repoRoot, '.capstan', 'cluster-chaos');
/** The second cluster of cluster-down (a plane of its own: the restarts of the other never reach it). */
export const remotePlaneDir = join(repoRoot, '.capstan', 'cluster-chaos-remote');

/** Starts (or reuses) a private control plane; returns its admin kubeconfig and server. */
export async function privatePlane(dir = privatePlaneDir): Promise<string> {
  const started = await up(dir, () => undefined);
  return started.state.kubeconfig;
}

export async function stopPrivatePlanes(): Promise<void> {
  await down(privatePlaneDir);
  await down(remotePlaneDir);
}

async function etcdPost(path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${etcdClientUrl(privatePlaneDir)}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  if (!res.ok) throw new Error(`etcd ${path}: HTTP ${res.status}: ${await res.text()}`);
  return res.json();
}

/** Compacts etcd's history up to its current revision: every watch from before now gets 410 Gone when it starts again. */
export async function compactEtcd(): Promise<number> {
  const range = await etcdPost('/v3/kv/range', { key: Buffer.from('/').toString('base64'), limit: 1 }) as { header?: { revision?: string } };
  const revision = Number(range.header?.revision ?? 0);
  if (!(revision > 0)) throw new Error('etcd reported no revision');
  await etcdPost('/v3/kv/compaction', { revision: String(revision), physical: true });
  return revision;
}
