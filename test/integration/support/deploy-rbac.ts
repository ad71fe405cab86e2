import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import yaml from 'js-yaml';
import type { KubeObject } from '../../../src/api/object.js';
import { repoRoot } from '../../cluster/paths.js';
import { kubectl, kubectlApply } from './capstan.js';
import { testKubeConfig } from './kube.js';

const rbacKinds = new Set(['ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']);

/**
 * The ServiceAccount and RBAC of deploy/, moved to `namespace` (cluster-scoped names get a
 * suffix) so a test can run the controller with exactly the rights an installation has.
 */
export function deployRbac(namespace: string, suffix: string): KubeObject[] {
  const all = yaml.loadAll(kubectl('kustomize', join(repoRoot, 'deploy'))) as KubeObject[];
  const text = JSON.stringify(all.filter((o) => rbacKinds.has(o.kind)))
    .replace(/"namespace":"capstan"/g, `"namespace":"${namespace}"`)
    .replace(/"capstan-applier"/g, `"capstan-applier-${suffix}"`);
  return JSON.parse(text) as KubeObject[];
}

export function applyObjects(objects: readonly KubeObject[]): void {
  for (const o of objects) kubectlApply(o);
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
