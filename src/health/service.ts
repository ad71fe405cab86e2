import type { HealthAssessment } from '../api/health.js';
import type { KubeObject } from '../api/object.js';
import { stringAt } from './fields.js';
import { hasLoadBalancerAddress } from './load-balancer.js';

/** core/Service: only a LoadBalancer has something to wait for, its external address. */
export function serviceHealth(obj: KubeObject): HealthAssessment {
  if (stringAt(obj, 'spec', 'type') === 'LoadBalancer' && !hasLoadBalancerAddress(obj)) {
    return { status: 'Progressing', message: 'waiting for the load balancer to get an address' };
  }
  return { status: 'Healthy' };
}
