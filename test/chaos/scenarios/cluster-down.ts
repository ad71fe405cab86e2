/**
 * cluster-down: the second cluster's API server stopped while apps of both clusters have a new
 * commit to sync: the apps of the first cluster converge meanwhile, those of the second report
 * ClusterUnreachable (nothing of theirs pruned); started again, they converge too.
 */
import { readyCondition } from '../../integration/support/capstan.js';
import { eventually, testKubeconfigPath } from '../../integration/support/kube.js';
import { startComponent, stopComponent } from '../../cluster/launcher.js';
import { ChaosEnv } from '../env.js';
import { privatePlane, remotePlaneDir } from '../private-plane.js';
import { randomDelay, type Scenario } from '../scenario.js';

const remoteName = 'remote';

export const clusterDown: Scenario = {
  name: 'cluster-down',
  summary: 'a second cluster unreachable while the first keeps syncing',
  trials: 20,
  smokeTrials: 1,
  prepare: async ({ smoke }) => {
    const shape = smoke ? { apps: 2, objects: 5 } : { apps: 10, objects: 30 };
    const env = new ChaosEnv({
      name: 'chaos-clusters', kubeconfig: testKubeconfigPath(), shape, replicas: 1,
      remote: { kubeconfig: await privatePlane(remotePlaneDir), name: remoteName, apps: shape.apps / 2 },
    });
    return {
      env,
      fault: async ({ head, report }) => {
        await randomDelay(1500);
        await stopComponent(remotePlaneDir, 'kube-apiserver', 'SIGKILL');
        try {
          const home = env.destinations.flatMap((d, i) => (d.cluster === undefined ? [env.appNames()[i] ?? ''] : []));
          const away = env.destinations.flatMap((d, i) => (d.cluster !== undefined ? [env.appNames()[i] ?? ''] : []));
          const homeSynced = await eventually('the first cluster\'s apps to sync meanwhile', async () => {
            const apps = await Promise.all(home.map(async (name) => env.apps.get(name)));
            return apps.every((a) => a?.status?.sync?.status === 'Synced' && a.status.sync.revision === head && a.status.health?.status === 'Healthy') ? true : undefined;
          }, 120_000).catch(() => false);
          if (!homeSynced) report({ invariant: 'converged', detail: `the apps of the first cluster did not sync ${head.slice(0, 7)} while the second was down` });
          const unreachable = await eventually('the second cluster\'s apps to say ClusterUnreachable', async () => {
            const apps = await Promise.all(away.map(async (name) => env.apps.get(name)));
            return apps.every((a) => a !== undefined && readyCondition(a)?.reason === 'ClusterUnreachable') ? true : undefined;
          }, 120_000).catch(() => false);
          if (!unreachable) report({ invariant: 'converged', detail: 'the apps of the second cluster did not report ClusterUnreachable while it was down' });
        } finally {
          await startComponent(remotePlaneDir, 'kube-apiserver');
        }
        return 1;
      },
    };
  },
};
