import { recordsAt } from './fields.js';

/** True when status.loadBalancer.ingress lists at least one address (Service and Ingress share this shape). */
export function hasLoadBalancerAddress(obj: unknown): boolean {
  return recordsAt(obj, 'status', 'loadBalancer', 'ingress').length > 0;
}
