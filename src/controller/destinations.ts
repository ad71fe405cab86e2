import type { Application } from '../api/application.js';
import { reasons } from '../api/conditions.js';
import { fail, ok, type Result } from '../api/result.js';
import type { ClusterRegistry } from '../clusters/registry.js';
import type { RemoteCluster } from '../clusters/remote-cluster.js';
import { clusterDestinationPorts } from './adapters.js';
import type { DestinationPorts, DestinationResolver } from './ports.js';

/**
 * Each app's destination from the cluster registry: the controller's own cluster, or a
 * registered one that answers. An unknown cluster is ClusterNotFound; one that does not answer
 * is ClusterUnreachable: the app is neither synced nor pruned until it answers again.
 */
export function registryDestinations(registry: ClusterRegistry, inCluster: DestinationPorts): DestinationResolver {
  const ports = new WeakMap<RemoteCluster, DestinationPorts>();
  return {
    resolve: async (app: Application): Promise<Result<DestinationPorts>> => {
      const found = registry.lookup(app.spec.destination);
      if (found.kind === 'in-cluster') return ok(inCluster);
      if (found.kind === 'missing') return fail(reasons.clusterNotFound, found.message);
      const { cluster } = found;
      const { name, server } = cluster.credential;
      const unreachable = await cluster.reachability.check();
      if (unreachable !== undefined) {
        return fail(reasons.clusterUnreachable, `cluster ${name} (${server}) does not answer: ${unreachable}; nothing is synced or pruned there until it does`);
      }
      let remote = ports.get(cluster);
      if (remote === undefined) {
        const scope = cluster.credential.scope;
        remote = { ...clusterDestinationPorts({ cluster: name, server }, cluster), ...(scope === undefined ? {} : { scope }) };
        ports.set(cluster, remote);
      }
      return ok(remote);
    },
  };
}
