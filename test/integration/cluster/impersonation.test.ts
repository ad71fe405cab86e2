// Requests as an impersonated ServiceAccount: the API server authorizes them as that account
// (RBAC decides, not Capstan), while the client's own requests keep the client's rights.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Discovery } from '../../../src/cluster/discovery.js';
import { KubeApiError } from '../../../src/cluster/errors.js';
import { KubeHttp } from '../../../src/cluster/http.js';
import { loadKubeConfig } from '../../../src/cluster/kubeconfig.js';
import { ResourceClient } from '../../../src/cluster/resources.js';
import { kubectlApply } from '../support/capstan.js';
import { createNamespace, deleteNamespace, testKubeConfig, testKubeconfigPath, uniqueName } from '../support/kube.js';

const namespace = uniqueName('imp');
const kc = testKubeConfig();
const http = new KubeHttp(loadKubeConfig({ kubeconfig: testKubeconfigPath() }));
const discovery = new Discovery(http);
const admin = new ResourceClient(http, discovery);
const deployer = `system:serviceaccount:${namespace}:deployer`;
const asDeployer = new ResourceClient(http.impersonating(deployer), discovery);

const configMap = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: { a: '1' } });
const secret = (name: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, stringData: { a: '1' } });

beforeAll(async () => {
  await createNamespace(kc, namespace);
  // The ServiceAccount may manage ConfigMaps of its namespace, and nothing else.
  kubectlApply({
    apiVersion: 'v1', kind: 'List', items: [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'deployer', namespace } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'configmaps', namespace },
        rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'create', 'update', 'patch', 'delete'] }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'deployer-configmaps', namespace },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'configmaps' },
        subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace }] },
    ],
  });
}, 60_000);

afterAll(async () => {
  http.close();
  await deleteNamespace(kc, namespace);
});

describe('an impersonating client', () => {
  it('writes what the ServiceAccount may write', async () => {
    const applied = await asDeployer.apply(configMap('allowed'), { fieldManager: 'capstan-test', force: true });
    expect(applied.metadata.uid).toBeDefined();
    expect((await admin.get('v1', 'ConfigMap', namespace, 'allowed'))?.metadata.uid).toBe(applied.metadata.uid);
  }, 30_000);

  it('gets the API server\'s 403 naming the ServiceAccount for anything else, and writes nothing', async () => {
    const refused = await asDeployer.apply(secret('refused'), { fieldManager: 'capstan-test', force: true }).then(() => undefined, (err: unknown) => err);
    expect(refused).toBeInstanceOf(KubeApiError);
    expect((refused as KubeApiError).status).toBe(403);
    expect((refused as KubeApiError).message).toContain(deployer);
    expect(await admin.get('v1', 'Secret', namespace, 'refused')).toBeUndefined();
  }, 30_000);

  it('leaves the client it came from with its own rights', async () => {
    const applied = await admin.apply(secret('by-admin'), { fieldManager: 'capstan-test', force: true });
    expect(applied.metadata.name).toBe('by-admin');
  }, 30_000);
});
