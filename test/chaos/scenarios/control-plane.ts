/**
 * apiserver-restart and etcd-restart: the private control plane's kube-apiserver killed and started
 * again in the middle of a sync (every watch breaks with it); etcd killed and started again; and
 * etcd's history compacted before the API server restarts, so that every watch resumes with 410 Gone.
 */
import { startComponent, stopComponent } from '../../cluster/launcher.js';
import { ChaosEnv } from '../env.js';
import { privatePlane, privatePlaneDir, compactEtcd } from '../private-plane.js';
import { randomDelay, type Scenario } from '../scenario.js';

const fullShape = { apps: 10, objects: 30 };
const smokeShape = { apps: 2, objects: 5 };

export const apiserverRestart: Scenario = {
  name: 'apiserver-restart',
  summary: 'kube-apiserver killed and restarted mid-sync and mid-watch',
  trials: 20,
  smokeTrials: 1,
  prepare: async ({ smoke }) => {
    const env = new ChaosEnv({ name: 'chaos-apiserver', kubeconfig: await privatePlane(), shape: smoke ? smokeShape : fullShape, replicas: 2 });
    return {
      env,
      fault: async ({ head }) => {
        await env.syncRunning(head);
        await randomDelay(1500);
        await stopComponent(privatePlaneDir, 'kube-apiserver', 'SIGKILL');
        await randomDelay(4000);
        await startComponent(privatePlaneDir, 'kube-apiserver');
        return 1;
      },
    };
  },
};

export const etcdRestart: Scenario = {
  name: 'etcd-restart',
  summary: "etcd killed and restarted; etcd's history compacted and the API server restarted, so every watch resumes with 410 Gone",
  trials: 20,
  smokeTrials: 2,
  prepare: async ({ smoke }) => {
    const env = new ChaosEnv({ name: 'chaos-etcd', kubeconfig: await privatePlane(), shape: smoke ? smokeShape : fullShape, replicas: 2 });
    let trial = 0;
    return {
      env,
      fault: async ({ head }) => {
        trial++;
        await env.syncRunning(head);
        await randomDelay(1500);
        if (trial % 2 === 1) {
          await stopComponent(privatePlaneDir, 'etcd', 'SIGKILL');
          await randomDelay(3000);
          await startComponent(privatePlaneDir, 'etcd');
          return 1;
        }
        await compactEtcd();
        await stopComponent(privatePlaneDir, 'kube-apiserver', 'SIGKILL');
        await startComponent(privatePlaneDir, 'kube-apiserver');
        return 2;
      },
    };
  },
};
