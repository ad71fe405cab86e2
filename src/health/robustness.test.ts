import { describe, expect, it } from '@jest/globals';
import { healthStatuses } from '../api/health.js';
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

const oneOfEachKind = [
  'deployment-healthy.yaml',
  'statefulset-healthy.yaml',
  'daemonset-healthy.yaml',
  'replicaset-healthy.yaml',
  'pod-running-ready.yaml',
  'job-complete.yaml',
  'pvc-bound.yaml',
  'service-lb-ready.yaml',
  'ingress-healthy.yaml',
  'apiservice-available.yaml',
  'hpa-healthy.yaml',
  'crd-established.yaml',
  'application-degraded.yaml',
  'certificate-ready.yaml',
];

describe('rules on malformed objects', () => {
  it.each(oneOfEachKind)('%s with a malformed status still gets an assessment', (file) => {
    const obj = loadHealthFixture(file);
    for (const status of malformedStatuses) {
      const health = assessHealth({ ...obj, status });
      if (health !== null) expect(healthStatuses).toContain(health.status);
    }
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

  it('takes a StatefulSet without an update strategy to roll updates', () => {
    const sts: KubeObject = loadHealthFixture('statefulset-revision-pending.yaml');
    expect(assessHealth({ ...sts, spec: { replicas: 3 } })?.status).toBe('Progressing');
  });

  it('takes a StatefulSet whose status has no observedGeneration to be unobserved', () => {
    const sts = loadHealthFixture('statefulset-healthy.yaml');
    expect(assessHealth({ ...sts, status: { replicas: 3, readyReplicas: 3, updatedReplicas: 3 } })?.message).toBe(
      'waiting for rollout to be observed',
    );
  });
});
