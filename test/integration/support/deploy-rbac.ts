import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import yaml from 'js-yaml';
import type { KubeObject } from '../../../src/api/object.js';
import { repoRoot } from '../../cluster/paths.js';
import { kubectl, kubectlApply } from './capstan.js';
import { eventually, testKubeConfig } from './kube.js';

const rbacKinds = new Set(['ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']);

/** The aggregation label of deploy/'s applier role. */
const aggregationLabel = 'capstan.dev/aggregate-to-applier';

/**
 * Moves deploy/'s RBAC to `namespace`: cluster-scoped names and the applier's aggregation label
 * get `suffix`, so that tests running at the same time never share (or delete) each other's roles.
 */
function relocate(objects: readonly KubeObject[], namespace: string, suffix: string): KubeObject[] {
  const text = JSON.stringify(objects)
    .replace(/"namespace":"capstan"/g, `"namespace":"${namespace}"`)
    .replace(/"(capstan-applier(?:-[a-z]+)?)"/g, `"$1-${suffix}"`)
    .replaceAll(`"${aggregationLabel}"`, `"${aggregationLabel}-${suffix}"`);
  return JSON.parse(text) as KubeObject[];
}

/**
 * The ServiceAccount and RBAC of deploy/, moved to `namespace` (see relocate) so a test can run
 * the controller with exactly the rights an installation has.
 */
export function deployRbac(namespace: string, suffix: string): KubeObject[] {
  const all = yaml.loadAll(kubectl('kustomize', join(repoRoot, 'deploy'))) as KubeObject[];
  return relocate(all.filter((o) => rbacKinds.has(o.kind)), namespace, suffix);
}

/** deploy/optional/applier-platform.yaml, relocated like deployRbac's objects. */
export function platformRole(namespace: string, suffix: string): KubeObject[] {
  const text = readFileSync(join(repoRoot, 'deploy', 'optional', 'applier-platform.yaml'), 'utf8');
  return relocate(yaml.loadAll(text) as KubeObject[], namespace, suffix);
}

/** The names of every cluster-scoped object deployRbac made for `suffix` (to delete them after). */
export function clusterScopedNames(objects: readonly KubeObject[]): string[] {
  return objects.filter((o) => o.kind.startsWith('Cluster')).map((o) => `${o.kind.toLowerCase()}/${o.metadata.name ?? ''}`);
}

export function applyObjects(objects: readonly KubeObject[]): void {
  for (const o of objects) kubectlApply(o);
}

/**
 * Waits until the aggregated ClusterRole `name` holds at least `rules` rules: the API server's
 * controller manager fills aggregated roles in asynchronously.
 */
export async function waitForAggregation(name: string, rules: number): Promise<void> {
  await eventually(`ClusterRole ${name} to hold ${rules} rules`, () => {
    const role = JSON.parse(kubectl('get', 'clusterrole', name, '-o', 'json')) as { rules?: unknown[] | null };
    return Promise.resolve((role.rules?.length ?? 0) >= rules ? true : undefined);
  }, 30_000);
}

/** A kubeconfig for the ServiceAccount, with a token from the TokenRequest API. */
export async function serviceAccountKubeconfig(namespace: string, serviceAccount: string, file: string): Promise<string> {
  const admin = testKubeConfig();
  const core = admin.makeApiClient(CoreV1Api);
  const request = await core.createNamespacedServiceAccountToken({ name: serviceAccount, namespace, body: { spec: { audiences: [], expirationSeconds: 3600 } } });
  const token = request.status?.token;
  if (token === undefined) throw new Error('TokenRequest returned no token');
  const cluster = admin.getCurrentCluster();
  if (cluster === null) throw new Error('no cluster in the admin kubeconfig');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'local', server: cluster.server, caData: cluster.caData, skipTLSVerify: false }],
    users: [{ name: serviceAccount, token }],
    contexts: [{ name: 'sa', cluster: 'local', user: serviceAccount }],
    currentContext: 'sa',
  });
  writeFileSync(file, kc.exportConfig(), { mode: 0o600 });
  return file;
}

/** The number of rules an aggregated ClusterRole collects from the roles among `objects`. */
function aggregatedRules(objects: readonly KubeObject[]): number {
  return objects
    .filter((o) => o.kind === 'ClusterRole' && Object.keys(o.metadata.labels ?? {}).some((k) => k.startsWith(aggregationLabel)))
    .reduce((n, o) => n + ((o as KubeObject & { rules?: unknown[] }).rules?.length ?? 0), 0);
}

/**
 * Applies deploy/'s RBAC moved to `namespace` (plus `extra`, e.g. platformRole) and waits until
 * the applier role holds its aggregated rules. Returns what removes the cluster-scoped objects.
 */
export async function installDeployRbac(namespace: string, suffix: string, extra: readonly KubeObject[] = []): Promise<() => void> {
  const objects = [...deployRbac(namespace, suffix), ...extra];
  applyObjects(objects);
  await waitForAggregation(`capstan-applier-${suffix}`, aggregatedRules(objects));
  return () => {
    for (const name of clusterScopedNames(objects)) kubectl('delete', name, '--ignore-not-found');
  };
}
