// ApplicationStore.start gives up, naming the last failure, when the Applications cannot be
// listed (here: the API server rejects the credentials with 401), instead of waiting forever.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { KubeConfig } from '@kubernetes/client-node';
import { ApplicationStore } from '../../../src/cluster/applications.js';
import { Discovery } from '../../../src/cluster/discovery.js';
import { KubeApiError, SyncTimeoutError } from '../../../src/cluster/errors.js';
import { KubeHttp } from '../../../src/cluster/http.js';
import { ResourceClient } from '../../../src/cluster/resources.js';
import { installCrd } from '../support/capstan.js';
import { testKubeConfig, uniqueName } from '../support/kube.js';

/** The test cluster, as a user whose bearer token the API server does not accept. */
function unauthenticatedKubeConfig(): KubeConfig {
  const cluster = testKubeConfig().getCurrentCluster();
  if (cluster === null) throw new Error('the test kubeconfig has no cluster');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'test', server: cluster.server, caData: cluster.caData, skipTLSVerify: false }],
    users: [{ name: 'nobody', token: 'not-a-valid-token' }],
    contexts: [{ name: 'test', cluster: 'test', user: 'nobody' }],
    currentContext: 'test',
  });
  return kc;
}

describe('ApplicationStore.start', () => {
  beforeAll(async () => {
    await installCrd();
  });

  it('rejects with the last failure when the Applications do not list in time', async () => {
    const admin = new KubeHttp(testKubeConfig());
    const refused = new KubeHttp(unauthenticatedKubeConfig());
    // Discovery works; every list of Applications is answered 401.
    const store = new ApplicationStore(refused, new ResourceClient(refused, new Discovery(admin)), [uniqueName('apps')], { syncTimeoutMs: 3_000 });
    const failures: unknown[] = [];
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<never>((_, reject) => {
      timer = setTimeout(() => { reject(new Error('ApplicationStore.start was still waiting after 30 s')); }, 30_000);
    });
    try {
      const started = store.start(() => undefined, (err) => failures.push(err));
      const err: unknown = await Promise.race([started, hung]).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(SyncTimeoutError);
      expect((err as Error).message).toMatch(/did not list within 3000 ms \(last failure: Unauthorized\)/);
      expect((err as Error).cause).toBeInstanceOf(KubeApiError);
      expect(((err as Error).cause as KubeApiError).status).toBe(401);
      expect(failures.length).toBeGreaterThan(0);
    } finally {
      clearTimeout(timer);
      await store.stop();
      admin.close();
      refused.close();
    }
  });
});
