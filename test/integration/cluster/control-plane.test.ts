// The local control plane behaves like a real cluster: nodes, scheduling, workload
// controllers, service IPs, namespace deletion and CRDs all work.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ApiextensionsV1Api, AppsV1Api, BatchV1Api, CoreV1Api, CustomObjectsApi, type KubeConfig, type V1NodeList,
} from '@kubernetes/client-node';
import { createNamespace, deleteNamespace, eventually, testKubeConfig, testKubeconfigPath, uniqueName } from '../support/kube.js';

let kc: KubeConfig;
let ns: string;

beforeAll(async () => {
  kc = testKubeConfig();
  ns = uniqueName('cp');
  await createNamespace(kc, ns);
});

afterAll(async () => {
  await deleteNamespace(kc, ns);
});

describe('local control plane', () => {
  it('lists at least 3 Ready nodes through kubectl', () => {
    const out = execFileSync('kubectl', ['--kubeconfig', testKubeconfigPath(), 'get', 'nodes', '-o', 'json'], { encoding: 'utf8' });
    const nodes = JSON.parse(out) as V1NodeList;
    const ready = nodes.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    expect(ready.length).toBeGreaterThanOrEqual(3);
  });

  it('runs a Deployment of 2 replicas to Available with Running, Ready pods', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    const labels = { app: 'web' };
    await apps.createNamespacedDeployment({
      namespace: ns,
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 2,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
        },
      },
    });
    const available = await eventually('Deployment web to become Available', async () => {
      const d = await apps.readNamespacedDeployment({ name: 'web', namespace: ns });
      const cond = d.status?.conditions?.find((c) => c.type === 'Available');
      return cond?.status === 'True' && d.status?.availableReplicas === 2 ? d : undefined;
    }, 60_000);
    expect(available.status?.readyReplicas).toBe(2);
    const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=web' });
    expect(pods.items).toHaveLength(2);
    for (const pod of pods.items) {
      expect(pod.status?.phase).toBe('Running');
      expect(pod.spec?.nodeName).toMatch(/^kwok-node-/);
      expect(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    }
  });

  it('completes a Job', async () => {
    const batch = kc.makeApiClient(BatchV1Api);
    await batch.createNamespacedJob({
      namespace: ns,
      body: {
        metadata: { name: 'once' },
        spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'once', image: 'busybox:1.36' }] } } },
      },
    });
    const job = await eventually('Job once to complete', async () => {
      const j = await batch.readNamespacedJob({ name: 'once', namespace: ns });
      return j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') ? j : undefined;
    }, 60_000);
    expect(job.status?.succeeded).toBe(1);
  });

  it('gives a Service a cluster IP from the service range', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const svc = await core.createNamespacedService({
      namespace: ns,
      body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
    });
    expect(svc.spec?.clusterIP).toMatch(/^10\.96\.\d+\.\d+$/);
  });

  it('deletes a namespace that holds objects', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const apps = kc.makeApiClient(AppsV1Api);
    const doomed = uniqueName('doomed');
    await createNamespace(kc, doomed);
    await core.createNamespacedConfigMap({ namespace: doomed, body: { metadata: { name: 'cfg' }, data: { a: '1' } } });
    await apps.createNamespacedDeployment({
      namespace: doomed,
      body: {
        metadata: { name: 'app' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'x' } },
          template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'x', image: 'nginx:1.27' }] } },
        },
      },
    });
    await eventually('the pod of the doomed namespace to run', async () => {
      const pods = await core.listNamespacedPod({ namespace: doomed });
      return pods.items.some((p) => p.status?.phase === 'Running') ? true : undefined;
    });
    await core.deleteNamespace({ name: doomed });
    await eventually('the namespace to be gone', async () => {
      const all = await core.listNamespace();
      return all.items.some((n) => n.metadata?.name === doomed) ? undefined : true;
    }, 90_000, 500);
  });

  it('installs a CustomResourceDefinition and stores a custom resource of it', async () => {
    const ext = kc.makeApiClient(ApiextensionsV1Api);
    const custom = kc.makeApiClient(CustomObjectsApi);
    const group = `${uniqueName('t')}.capstan.test`;
    await ext.createCustomResourceDefinition({
      body: {
        metadata: { name: `widgets.${group}` },
        spec: {
          group,
          scope: 'Namespaced',
          names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
          versions: [{
            name: 'v1', served: true, storage: true,
            schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } },
          }],
        },
      },
    });
    try {
      await eventually('the CRD to be Established', async () => {
        const crd = await ext.readCustomResourceDefinition({ name: `widgets.${group}` });
        return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ? true : undefined;
      });
      const created = await eventually('the custom resource to be accepted', () =>
        custom.createNamespacedCustomObject({
          group, version: 'v1', namespace: ns, plural: 'widgets',
          body: { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 3 } },
        }) as Promise<unknown>);
      expect(created).toBeDefined();
      const read = (await custom.getNamespacedCustomObject({ group, version: 'v1', namespace: ns, plural: 'widgets', name: 'w1' })) as {
        spec?: { size?: number };
      };
      expect(read.spec?.size).toBe(3);
    } finally {
      await ext.deleteCustomResourceDefinition({ name: `widgets.${group}` }).catch(() => undefined);
    }
  });
});
