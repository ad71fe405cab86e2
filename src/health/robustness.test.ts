import { describe, expect, it } from '@jest/globals';
import type { HealthAssessment } from '../api/health.js';
import type { KubeObject } from '../api/object.js';
import { assessHealth } from './registry.js';
import { loadHealthFixture } from './testing/fixtures.js';

// Objects are untyped JSON: a rule must read a malformed status as missing data, never throw.
const malformedStatuses: readonly unknown[] = [
  'nonsense',
  42,
  ['a', 'list'],
  null,
  { conditions: 'not a list', replicas: '3', phase: 7, loadBalancer: { ingress: 'x' } },
  { conditions: [null, 'x', { status: 'True' }, { type: 7 }], containerStatuses: [null, { state: 'x' }] },
];

// A malformed status reads as no status at all: each kind gives what it gives before its
// controller has written anything.
const waiting = (message: string): HealthAssessment => ({ status: 'Progressing', message });
const unobservedRollout = waiting('waiting for rollout to be observed');
const oneOfEachKind: readonly (readonly [string, HealthAssessment | null])[] = [
  ['deployment-healthy.yaml', unobservedRollout],
  ['statefulset-healthy.yaml', unobservedRollout],
  ['daemonset-healthy.yaml', unobservedRollout],
  ['replicaset-healthy.yaml', unobservedRollout],
  ['pod-running-ready.yaml', waiting('waiting for the pod to be scheduled')],
  ['job-complete.yaml', waiting('waiting for job to complete: 0 active, 0 succeeded, 0 failed pods')],
  ['pvc-bound.yaml', waiting('waiting for a volume to be bound')],
  ['service-lb-ready.yaml', waiting('waiting for the load balancer to get an address')],
  ['ingress-healthy.yaml', waiting('waiting for the ingress to get an address')],
  ['apiservice-available.yaml', waiting('waiting for the API service to become available')],
  // Healthy only once a condition says it is able to scale; no readable condition says anything.
  ['hpa-healthy.yaml', waiting('waiting for the autoscaler to report that it can scale')],
  ['crd-established.yaml', waiting('waiting for the CRD to be established')],
  ['application-degraded.yaml', waiting('waiting for the application to report its health')],
  // No rule of its own and no readable Ready condition: no health rule applies.
  ['certificate-ready.yaml', null],
];

describe('rules on malformed objects', () => {
  it.each(oneOfEachKind)('%s with a malformed status reads as one without status', (file, expected) => {
    const obj = loadHealthFixture(file);
    for (const status of malformedStatuses) expect(assessHealth({ ...obj, status })).toEqual(expected);
  });

  it('does not take a condition without a type, or with an odd status, for a real one', () => {
    const conditions = [{ status: 'True', reason: 'NoType' }, { type: 'Ready', status: 'yes' }];
    const health = assessHealth({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, status: { conditions } });
    expect(health?.status).toBe('Progressing');
  });

  it('reads counts of the wrong type as zero', () => {
    const deployment = loadHealthFixture('deployment-healthy.yaml');
    const status = { observedGeneration: 2, replicas: '3', updatedReplicas: '3', availableReplicas: '3' };
    expect(assessHealth({ ...deployment, status })).toEqual({ status: 'Progressing', message: 'waiting for rollout: 0 of 3 replicas updated' });
  });
});

describe('defaults the API server would fill in', () => {
  it('takes a Deployment without spec.replicas to want one replica', () => {
    const deployment = loadHealthFixture('deployment-healthy.yaml');
    const spec: unknown = { selector: {} };
    const status = { observedGeneration: 2 };
    expect(assessHealth({ ...deployment, spec, status })?.message).toBe('waiting for rollout: 0 of 1 replicas updated');
    expect(assessHealth({ ...deployment, spec, status: { ...status, replicas: 1, updatedReplicas: 1, availableReplicas: 1 } })).toEqual({
      status: 'Healthy',
    });
  });

  it('takes a StatefulSet without an update strategy to roll updates with partition 0', () => {
    const rolling: KubeObject = loadHealthFixture('statefulset-rolling-update.yaml');
    expect(assessHealth({ ...rolling, spec: { replicas: 3 } })).toEqual({ status: 'Progressing', message: 'waiting for rollout: 1 of 3 pods updated' });
    // Such a rolling update is done once every pod is updated, whatever the revisions say.
    const updated: KubeObject = loadHealthFixture('statefulset-revision-pending.yaml');
    expect(assessHealth({ ...updated, spec: { replicas: 3 } })).toEqual({ status: 'Healthy' });
  });

  it('takes a StatefulSet whose status has no observedGeneration to be unobserved', () => {
    const sts = loadHealthFixture('statefulset-healthy.yaml');
    expect(assessHealth({ ...sts, status: { replicas: 3, readyReplicas: 3, updatedReplicas: 3 } })?.message).toBe(
      'waiting for rollout to be observed',
    );
  });
});
