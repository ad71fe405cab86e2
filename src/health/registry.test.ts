import { describe, expect, it } from '@jest/globals';
import { healthStatuses, type HealthAssessment, type HealthStatus } from '../api/health.js';
import type { KubeObject } from '../api/object.js';
import { aggregateHealth, assessHealth, healthRuleFor } from './registry.js';
import { loadHealthFixture } from './testing/fixtures.js';

function customResource(status: unknown, metadata: KubeObject['metadata'] = { name: 'blue', namespace: 'guestbook' }): KubeObject {
  return { apiVersion: 'example.com/v1', kind: 'Widget', metadata, spec: {}, status };
}

describe('healthRuleFor', () => {
  it.each([
    ['apps', 'Deployment'],
    ['apps', 'StatefulSet'],
    ['apps', 'DaemonSet'],
    ['apps', 'ReplicaSet'],
    ['', 'Pod'],
    ['', 'PersistentVolumeClaim'],
    ['', 'Service'],
    ['batch', 'Job'],
    ['networking.k8s.io', 'Ingress'],
    ['extensions', 'Ingress'],
    ['apiregistration.k8s.io', 'APIService'],
    ['autoscaling', 'HorizontalPodAutoscaler'],
    ['apiextensions.k8s.io', 'CustomResourceDefinition'],
    ['capstan.dev', 'Application'],
    ['argoproj.io', 'Application'],
    ['argoproj.io', 'Workflow'],
  ])('has a rule for %s/%s', (group, kind) => {
    expect(healthRuleFor(group, kind)).toBeInstanceOf(Function);
  });

  it.each([
    ['', 'Deployment'],
    ['apps', 'Pod'],
    ['example.com', 'Deployment'],
    ['', 'ConfigMap'],
    // As in Argo CD: a namespace has no health of its own (a terminating one is deleting).
    ['', 'Namespace'],
    ['apps', 'deployment'],
  ])('has no rule for %s/%s (group and kind must both match)', (group, kind) => {
    expect(healthRuleFor(group, kind)).toBeUndefined();
  });

  it('looks a kind up in the group of its apiVersion', () => {
    // A custom Deployment kind in another group must not be read as apps/Deployment (which would be Progressing here).
    const obj: KubeObject = { ...customResource({ conditions: [{ type: 'Ready', status: 'True' }] }), kind: 'Deployment' };
    expect(assessHealth(obj)).toEqual({ status: 'Healthy' });
  });
});

describe('assessHealth: deletion', () => {
  it('reports a deleting object as Progressing before its own rule', () => {
    const pod = loadHealthFixture('pod-crashloop.yaml');
    expect(assessHealth(pod)?.status).toBe('Degraded');
    const deleting: KubeObject = { ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2025-01-01T00:00:00Z' } };
    expect(assessHealth(deleting)).toEqual({ status: 'Progressing', message: 'pending deletion' });
  });

  it('applies to kinds without a health rule too', () => {
    const configMap = loadHealthFixture('configmap.yaml');
    expect(assessHealth(configMap)).toBeNull();
    expect(assessHealth({ ...configMap, metadata: { ...configMap.metadata, deletionTimestamp: '2025-01-01T00:00:00Z' } })?.status).toBe(
      'Progressing',
    );
  });
});

describe('assessHealth: the Ready condition of kinds without a rule', () => {
  it.each([
    ['True', 'Healthy'],
    ['False', 'Degraded'],
    ['Unknown', 'Progressing'],
  ] as const)('Ready=%s is %s', (conditionStatus, expected) => {
    const health = assessHealth(customResource({ conditions: [{ type: 'Ready', status: conditionStatus, reason: 'Because', message: 'it is so' }] }));
    expect(health?.status).toBe(expected);
    if (expected !== 'Healthy') expect(health?.message).toBe('Because: it is so');
  });

  it('is null without a Ready condition', () => {
    expect(assessHealth(customResource({ conditions: [{ type: 'Synced', status: 'False' }] }))).toBeNull();
    expect(assessHealth(customResource(undefined))).toBeNull();
  });

  it('reads a Ready condition of an older generation as Progressing', () => {
    const ready = { type: 'Ready', status: 'True', observedGeneration: 1 };
    const metadata = { name: 'blue', generation: 2 };
    expect(assessHealth(customResource({ conditions: [ready] }, metadata))?.status).toBe('Progressing');
    expect(assessHealth(customResource({ conditions: [{ ...ready, observedGeneration: 2 }] }, metadata))?.status).toBe('Healthy');
    // Without any observedGeneration there is nothing to compare: trust the condition.
    expect(assessHealth(customResource({ conditions: [{ type: 'Ready', status: 'True' }] }, metadata))?.status).toBe('Healthy');
  });
});

describe('aggregateHealth', () => {
  const order: readonly HealthStatus[] = ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown'];

  it('uses the order Healthy < Suspended < Progressing < Missing < Degraded < Unknown', () => {
    expect(healthStatuses).toEqual(order);
    order.forEach((better, i) => {
      for (const worse of order.slice(i + 1)) {
        expect(aggregateHealth([{ status: better }, { status: worse }]).status).toBe(worse);
        expect(aggregateHealth([{ status: worse }, { status: better }]).status).toBe(worse);
      }
    });
  });

  it('is Healthy with no children, and counts null (no health rule) as Healthy', () => {
    expect(aggregateHealth([])).toEqual({ status: 'Healthy' });
    expect(aggregateHealth([null, null])).toEqual({ status: 'Healthy' });
    expect(aggregateHealth([null, { status: 'Suspended', message: 'deployment is paused' }])).toEqual({
      status: 'Suspended',
      message: 'deployment is paused',
    });
  });

  it('keeps the first message given for the worst status', () => {
    const items: HealthAssessment[] = [
      { status: 'Progressing', message: 'waiting for rollout' },
      { status: 'Degraded' },
      { status: 'Degraded', message: 'ImagePullBackOff' },
      { status: 'Degraded', message: 'CrashLoopBackOff' },
    ];
    expect(aggregateHealth(items)).toEqual({ status: 'Degraded', message: 'ImagePullBackOff' });
  });

  it('gives a Healthy result no message', () => {
    expect(aggregateHealth([{ status: 'Healthy', message: 'partitioned rollout complete' }])).toEqual({ status: 'Healthy' });
  });

  it('accepts any iterable, read once', () => {
    function* children(): Generator<HealthAssessment | null> {
      yield { status: 'Healthy' };
      yield { status: 'Missing', message: 'not found' };
      yield null;
    }
    expect(aggregateHealth(children())).toEqual({ status: 'Missing', message: 'not found' });
  });
});
