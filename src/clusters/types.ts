/**
 * Destination clusters as Capstan reads them from cluster Secrets (DESIGN.md §1.1): Argo CD's
 * keys and labels, so its Secrets carry over. Values are secret and must never reach a log, a
 * status, an Event or a command line.
 */

export const clusterSecretType = 'cluster';

export interface ClusterTls {
  /** PEM, decoded from the config's base64 caData. */
  readonly caData?: string;
  readonly certData?: string;
  readonly keyData?: string;
  readonly insecure: boolean;
  readonly serverName?: string;
}

/** An exec credential plugin (client.authentication.k8s.io), as a kubeconfig user runs it. */
export interface ClusterExecProvider {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly apiVersion: string;
}

/** Credentials that reach only some namespaces (Argo CD's `namespaces`, `clusterResources`). */
export interface ClusterScope {
  readonly namespaces: readonly string[];
  /** Cluster-scoped objects may be managed too. */
  readonly clusterResources: boolean;
}

export interface ClusterCredential {
  /** `cluster <namespace>/<name>`: which Secret it is, never its content. */
  readonly identity: string;
  readonly secret: { readonly namespace: string; readonly name: string; readonly resourceVersion: string };
  /** The name destination.name picks it by (the Secret's `name`, else its server). */
  readonly name: string;
  /** The API server URL destination.server picks it by, without a trailing slash. */
  readonly server: string;
  readonly bearerToken?: string;
  readonly tls: ClusterTls;
  readonly exec?: ClusterExecProvider;
  /** Absent: every namespace and cluster-scoped objects. */
  readonly scope?: ClusterScope;
}

export type ParsedClusterSecret =
  | { readonly ok: true; readonly cluster: ClusterCredential }
  | { readonly ok: false; readonly identity: string; readonly name?: string; readonly server?: string; readonly reason: string };

/** A server URL as destinations compare it: no trailing slash. */
export const normalizeServer = (server: string): string => server.replace(/\/+$/, '');
