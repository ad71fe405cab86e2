import { KubeConfig } from '@kubernetes/client-node';
import type { ClusterCredential } from './types.js';

const base64 = (pem: string): string => Buffer.from(pem, 'utf8').toString('base64');

/** The kubeconfig of one cluster Secret: its server, its CA, and its token, client certificate or exec plugin. */
export function clusterKubeConfig(cluster: ClusterCredential): KubeConfig {
  const { tls, exec } = cluster;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{
      name: cluster.name, server: cluster.server, skipTLSVerify: tls.insecure,
      ...(tls.caData === undefined ? {} : { caData: base64(tls.caData) }),
      ...(tls.serverName === undefined ? {} : { tlsServerName: tls.serverName }),
    }],
    users: [{
      name: cluster.name,
      ...(cluster.bearerToken === undefined ? {} : { token: cluster.bearerToken }),
      ...(tls.certData === undefined || tls.keyData === undefined ? {} : { certData: base64(tls.certData), keyData: base64(tls.keyData) }),
      ...(exec === undefined ? {} : {
        exec: { command: exec.command, args: [...exec.args], env: Object.entries(exec.env).map(([name, value]) => ({ name, value })), apiVersion: exec.apiVersion },
      }),
    }],
    contexts: [{ name: cluster.name, cluster: cluster.name, user: cluster.name }],
    currentContext: cluster.name,
  });
  return kc;
}
