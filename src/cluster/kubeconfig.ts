import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';

const serviceAccountTokenPath = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * The kubeconfig to talk to the API server: the given file; else in-cluster config when running
 * in a pod; else the usual KUBECONFIG / ~/.kube/config.
 */
export function loadKubeConfig(options: { kubeconfig?: string | undefined; context?: string | undefined } = {}): KubeConfig {
  const kc = new KubeConfig();
  if (options.kubeconfig !== undefined && options.kubeconfig !== '') {
    kc.loadFromFile(options.kubeconfig);
  } else if (process.env['KUBERNETES_SERVICE_HOST'] !== undefined && existsSync(serviceAccountTokenPath)) {
    kc.loadFromCluster();
  } else {
    kc.loadFromDefault();
  }
  if (options.context !== undefined && options.context !== '') kc.setCurrentContext(options.context);
  if (kc.getCurrentCluster() === null) throw new Error('no Kubernetes cluster configured: pass --kubeconfig or set KUBECONFIG');
  return kc;
}
