/** kill-leader: kill -9 of the leading controller at a random moment of a sync of every app (waves and hooks). */
import { ChaosEnv } from '../env.js';
import { randomDelay, type Scenario } from '../scenario.js';
import { testKubeconfigPath } from '../../integration/support/kube.js';

export const killLeader: Scenario = {
  name: 'kill-leader',
  summary: 'kill -9 of the leader at a random moment of a sync of 10 apps × 30 objects with waves and hooks',
  trials: 50,
  smokeTrials: 2,
  prepare: ({ smoke }) => {
    const env = new ChaosEnv({ name: 'chaos-kill', kubeconfig: testKubeconfigPath(), shape: smoke ? { apps: 3, objects: 6 } : { apps: 10, objects: 30 }, replicas: 2 });
    return Promise.resolve({
      env,
      fault: async ({ head }) => {
        await env.syncRunning(head);
        await randomDelay(1500);
        const holder = env.observer.leases[env.observer.leases.length - 1]?.holder;
        const leader = env.replicas.byIdentity(holder) ?? env.replicas.live()[0];
        if (leader === undefined) return 0;
        leader.process.kill('SIGKILL');
        await leader.process.exited;
        return 1;
      },
    });
  },
};
