/**
 * The rows of `capstan cluster list` (pure): each destination cluster with its server, the
 * version it answered with (or why it did not), and how many Applications name it; never a
 * credential. The controller's own cluster comes first.
 */
import type { Application } from '../../api/application.js';
import type { KubeObject } from '../../api/object.js';
import { inClusterName, inClusterServer } from '../../api/validate.js';
import { parseClusterSecret } from '../../clusters/cluster-secret.js';
import { isInCluster } from '../../clusters/registry.js';
import { normalizeServer } from '../../clusters/types.js';
import { emptyCell } from '../output/table.js';

/** What asking a cluster's /version gave. */
export type ProbeResult = { readonly version: string } | { readonly error: string } | { readonly notAsked: string };

export interface ClusterRow {
  readonly name: string;
  readonly server: string;
  readonly version: string;
  readonly reachable: 'yes' | 'no' | typeof emptyCell;
  readonly apps: number;
  readonly secret: string;
  /** Why the cluster cannot be reached, or why the controller ignores its Secret. */
  readonly problem?: string;
}

export const clusterColumns = ['name', 'server', 'version', 'reachable', 'apps', 'secret', 'problem'] as const;

/** The apps whose destination picks a cluster of this name and server. */
function appsOf(apps: readonly Application[], name: string, server: string): number {
  return apps.filter(({ spec: { destination } }) => {
    if (isInCluster(destination)) return name === inClusterName;
    if (destination.name !== undefined && destination.name !== '') return destination.name === name;
    return normalizeServer(destination.server ?? '') === server;
  }).length;
}

function probed(probe: ProbeResult | undefined): Pick<ClusterRow, 'version' | 'reachable'> & { problem?: string } {
  if (probe === undefined) return { version: emptyCell, reachable: emptyCell };
  if ('version' in probe) return { version: probe.version, reachable: 'yes' };
  if ('notAsked' in probe) return { version: emptyCell, reachable: emptyCell, problem: probe.notAsked };
  return { version: emptyCell, reachable: 'no', problem: probe.error };
}

/** `probes` is keyed by Secret name; `inCluster` is what the controller's own cluster answered. */
export function clusterRows(secrets: readonly KubeObject[], apps: readonly Application[], probes: ReadonlyMap<string, ProbeResult>, inCluster: ProbeResult): ClusterRow[] {
  const own: ClusterRow = { name: inClusterName, server: inClusterServer, ...probed(inCluster), apps: appsOf(apps, inClusterName, inClusterServer), secret: emptyCell };
  const registered = secrets.map((secret): ClusterRow => {
    const parsed = parseClusterSecret(secret);
    const secretName = secret.metadata.name ?? '';
    if (!parsed.ok) {
      return { name: parsed.name ?? emptyCell, server: parsed.server ?? emptyCell, version: emptyCell, reachable: emptyCell, apps: 0, secret: secretName, problem: `Secret ignored: ${parsed.reason}` };
    }
    const { name, server } = parsed.cluster;
    return { name, server, ...probed(probes.get(secretName)), apps: appsOf(apps, name, server), secret: secretName };
  }).sort((a, b) => a.name.localeCompare(b.name) || a.secret.localeCompare(b.secret));
  return [own, ...registered];
}
