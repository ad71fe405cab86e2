// Review M2: manifests are read as kubectl reads them (YAML 1.1): `defaultMode: 0644` is 420,
// `0500` is 320, and `yes`/`no` are booleans where Kubernetes expects booleans. Under YAML 1.2
// the first is refused by the API server and the second silently grants the wrong mode.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppsV1Api } from '@kubernetes/client-node';
import { Scenario } from '../support/scenario.js';

const s = new Scenario('yaml11', { intervalMs: 600_000 });

beforeAll(async () => {
  await s.setUp();
});
afterAll(async () => {
  await s.tearDown();
});

const deploymentWithModes = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      enableServiceLinks: no
      automountServiceAccountToken: yes
      containers:
        - name: main
          image: nginx:1.27
          volumeMounts:
            - { name: config, mountPath: /etc/config }
            - { name: secret, mountPath: /etc/secret }
      volumes:
        - name: config
          configMap: { name: settings, defaultMode: 0644 }
        - name: secret
          secret: { secretName: creds, defaultMode: 0500 }
`;

describe('YAML 1.1, as kubectl reads it', () => {
  it('applies octal file modes and yes/no booleans as kubectl would', async () => {
    const dest = s.destination('yaml');
    s.repo.write('app/web.yaml', deploymentWithModes);
    s.repo.commit('modes and booleans');
    await s.apps.create('yaml', { repoURL: s.repo.url, path: 'app', destinationNamespace: dest });
    await s.apps.waitFor('yaml', 'Synced', (a) => a.status?.sync?.status === 'Synced', 60_000);
    const live = await s.kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: 'web', namespace: dest });
    const pod = live.spec?.template.spec;
    expect(pod?.volumes?.map((v) => v.configMap?.defaultMode ?? v.secret?.defaultMode)).toEqual([0o644, 0o500]);
    expect(pod?.volumes?.map((v) => v.configMap?.defaultMode ?? v.secret?.defaultMode)).toEqual([420, 320]);
    expect(pod?.enableServiceLinks).toBe(false);
    expect(pod?.automountServiceAccountToken).toBe(true);
  });
});
