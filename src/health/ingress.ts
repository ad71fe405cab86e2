import type { HealthAssessment } from '../api/health.js';
import type { KubeObject } from '../api/object.js';
import { hasLoadBalancerAddress } from './load-balancer.js';

/** networking.k8s.io/Ingress: healthy once an ingress controller has published an address for it. */
export function ingressHealth(obj: KubeObject): HealthAssessment {
  if (!hasLoadBalancerAddress(obj)) return { status: 'Progressing', message: 'waiting for the ingress to get an address' };
  return { status: 'Healthy' };
}
