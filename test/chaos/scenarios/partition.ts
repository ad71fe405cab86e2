/**
 * partition: the leading controller cut off from the API server (its network namespace's link
 * taken down) for 30 s, and in some trials for 3 min, while a standby in another namespace takes
 * the lease; then the link comes back.
 */
import { ChaosEnv } from '../env.js';
import { NetworkNamespace } from '../netns.js';
import { randomDelay, type Scenario } from '../scenario.js';
import { eventually, testKubeconfigPath } from '../../integration/support/kube.js';

const replicas = 2;

export const partition: Scenario = {
  name: 'partition',
  summary: 'network partition between the leader and the API server for 30 s and for 3 min, with a standby that takes the lease',
  trials: 6,
  smokeTrials: 1,
  prepare: ({ smoke }) => {
    const namespaces = Array.from({ length: replicas }, () => NetworkNamespace.create());
    const env = new ChaosEnv({
      name: 'chaos-partition', kubeconfig: testKubeconfigPath(), shape: smoke ? { apps: 2, objects: 5 } : { apps: 10, objects: 30 }, replicas,
      placement: (slot) => {
        const ns = namespaces[slot];
        if (ns === undefined) throw new Error(`no network namespace for slot ${slot}`);
        return { proxyHost: ns.hostAddress, wrapper: ns.wrapper };
      },
    });
    let trial = 0;
    return Promise.resolve({
      env,
      fault: async ({ head }) => {
        trial++;
        // One trial in three is long: the cut outlasts every timeout of the client.
        const cutMs = smoke ? 15_000 : trial % 3 === 0 ? 180_000 : 30_000;
        await env.syncRunning(head);
        await randomDelay(1500);
        const before = env.observer.leases[env.observer.leases.length - 1]?.holder;
        const leader = env.replicas.byIdentity(before);
        const ns = leader === undefined ? undefined : namespaces[leader.slot];
        if (leader === undefined || ns === undefined) return 0;
        ns.cut();
        const cutAt = Date.now();
        try {
          // The standby takes over while the leader is cut off.
          await eventually('a standby to take the lease', () => {
            const holder = env.observer.leases[env.observer.leases.length - 1]?.holder;
            return Promise.resolve(holder !== undefined && holder !== before ? true : undefined);
          }, cutMs + 60_000, 200);
          const left = cutMs - (Date.now() - cutAt);
          if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
        } finally {
          ns.heal();
        }
        return 1;
      },
      tearDown: () => {
        for (const ns of namespaces) ns.destroy();
        return Promise.resolve();
      },
    });
  },
};
