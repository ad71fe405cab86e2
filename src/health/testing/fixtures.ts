// Test support (not built into dist/): the health fixtures and what each one should assess to,
// shared by the health unit tests and by tests of commands that assess files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import type { HealthStatus } from '../../api/health.js';
import { isRecord, type KubeObject } from '../../api/object.js';

export const healthFixturesDir = join(import.meta.dirname, '..', 'fixtures');

/** One fixture file, parsed and checked to be a Kubernetes object. */
export function loadHealthFixture(file: string): KubeObject {
  const doc: unknown = load(readFileSync(join(healthFixturesDir, file), 'utf8'));
  if (!isRecord(doc) || typeof doc.apiVersion !== 'string' || typeof doc.kind !== 'string' || !isRecord(doc.metadata)) {
    throw new Error(`${file} is not a Kubernetes object`);
  }
  return { ...doc, apiVersion: doc.apiVersion, kind: doc.kind, metadata: doc.metadata };
}

/** [fixture, expected status (null: no health rule), text the message must contain]. */
export type HealthFixtureExpectation = readonly [file: string, status: HealthStatus | null, messageMentions?: string];

export const healthFixtureExpectations: readonly HealthFixtureExpectation[] = [
  ['deployment-healthy.yaml', 'Healthy'],
  ['deployment-paused.yaml', 'Suspended', 'paused'],
  ['deployment-generation-stale.yaml', 'Progressing', 'observed'],
  ['deployment-no-status.yaml', 'Progressing', 'observed'],
  ['deployment-progressing.yaml', 'Progressing', '1 of 3 replicas updated'],
  ['deployment-old-replicas.yaml', 'Progressing', '1 old replicas pending termination'],
  ['deployment-unavailable.yaml', 'Progressing', '2 of 3 updated replicas are available'],
  ['deployment-deadline-exceeded.yaml', 'Degraded', 'ProgressDeadlineExceeded'],
  ['deployment-scaled-to-zero.yaml', 'Healthy'],
  ['deployment-deleting.yaml', 'Progressing', 'deletion'],

  ['statefulset-healthy.yaml', 'Healthy'],
  ['statefulset-generation-stale.yaml', 'Progressing', 'observed'],
  ['statefulset-not-ready.yaml', 'Progressing', '1 of 3 ready'],
  ['statefulset-rolling-update.yaml', 'Progressing', '1 of 3 pods updated'],
  ['statefulset-revision-pending.yaml', 'Progressing', 'db-5d6f7a8b9'],
  ['statefulset-partitioned.yaml', 'Healthy'],
  ['statefulset-partitioned-progressing.yaml', 'Progressing', '1 of 2 pods updated'],
  ['statefulset-ondelete.yaml', 'Healthy'],

  ['daemonset-healthy.yaml', 'Healthy'],
  ['daemonset-generation-stale.yaml', 'Progressing', 'observed'],
  ['daemonset-rolling-update.yaml', 'Progressing', '1 of 3 pods updated'],
  ['daemonset-unavailable.yaml', 'Progressing', '2 of 3 updated pods are available'],
  ['daemonset-ondelete.yaml', 'Healthy'],

  ['replicaset-healthy.yaml', 'Healthy'],
  ['replicaset-generation-stale.yaml', 'Progressing', 'observed'],
  ['replicaset-unavailable.yaml', 'Progressing', '1 of 3 available'],
  ['replicaset-replica-failure.yaml', 'Degraded', 'exceeded quota'],

  ['pod-running-ready.yaml', 'Healthy'],
  ['pod-running-not-ready.yaml', 'Progressing', 'unready status: [web]'],
  ['pod-crashloop.yaml', 'Degraded', 'CrashLoopBackOff'],
  ['pod-restarted-not-ready.yaml', 'Degraded', 'OOMKilled'],
  ['pod-image-pull-backoff.yaml', 'Degraded', 'ImagePullBackOff'],
  ['pod-init-crashloop.yaml', 'Degraded', 'container "migrate" is waiting: CrashLoopBackOff'],
  ['pod-pending.yaml', 'Progressing', 'Insufficient cpu'],
  ['pod-container-creating.yaml', 'Progressing', 'ContainerCreating'],
  ['pod-succeeded.yaml', 'Healthy'],
  ['pod-failed.yaml', 'Degraded', 'exit code 3'],
  ['pod-oomkilled.yaml', 'Degraded', 'OOMKilled'],
  ['pod-evicted.yaml', 'Degraded', 'Evicted: The node was low on resource: memory'],
  ['pod-hook-running.yaml', 'Progressing', 'restartPolicy Never'],
  ['pod-hook-image-pull-backoff.yaml', 'Progressing', 'ImagePullBackOff'],
  ['pod-unknown-phase.yaml', 'Unknown', 'NodeLost'],

  ['job-complete.yaml', 'Healthy'],
  ['job-failed.yaml', 'Degraded', 'BackoffLimitExceeded'],
  ['job-failure-target.yaml', 'Degraded', 'exit code 42'],
  ['job-suspended.yaml', 'Suspended', 'suspended'],
  ['job-running.yaml', 'Progressing', '1 active'],
  ['job-resumed.yaml', 'Progressing'],

  ['pvc-bound.yaml', 'Healthy'],
  ['pvc-pending.yaml', 'Progressing', 'bound'],
  ['pvc-lost.yaml', 'Degraded', 'lost'],

  ['service-clusterip.yaml', 'Healthy'],
  ['service-lb-pending.yaml', 'Progressing', 'load balancer'],
  ['service-lb-ready.yaml', 'Healthy'],

  ['ingress-healthy.yaml', 'Healthy'],
  ['ingress-no-address.yaml', 'Progressing', 'address'],

  ['apiservice-available.yaml', 'Healthy'],
  ['apiservice-unavailable.yaml', 'Degraded', 'FailedDiscoveryCheck'],
  ['apiservice-pending.yaml', 'Progressing'],

  ['hpa-healthy.yaml', 'Healthy'],
  ['hpa-metrics-unavailable.yaml', 'Degraded', 'FailedGetResourceMetric'],
  ['hpa-unable-to-scale.yaml', 'Degraded', 'FailedGetScale'],
  ['hpa-scaling-disabled.yaml', 'Healthy'],
  ['hpa-v1.yaml', 'Healthy'],
  ['hpa-v1-metrics-unavailable.yaml', 'Degraded', 'FailedGetResourceMetric'],

  ['crd-established.yaml', 'Healthy'],
  ['crd-names-not-accepted.yaml', 'Degraded', '"widgets" is already in use'],
  ['crd-not-established.yaml', 'Progressing', 'established'],
  ['crd-non-structural.yaml', 'Degraded', 'Violations'],

  ['application-degraded.yaml', 'Degraded', 'CrashLoopBackOff'],
  ['application-new.yaml', 'Progressing'],
  ['application-healthy.yaml', 'Healthy'],
  ['application-sync-running.yaml', 'Progressing', 'waiting for hook Job/migrate'],
  ['application-sync-failed.yaml', 'Degraded', 'PreSync hook Job/migrate failed'],
  ['application-out-of-sync.yaml', 'Progressing', 'out of sync'],
  ['application-spec-not-observed.yaml', 'Progressing', 'since its spec changed'],

  ['certificate-ready.yaml', 'Healthy'],
  ['certificate-not-ready.yaml', 'Degraded', 'Secret does not exist'],
  ['certificate-stale-ready.yaml', 'Progressing', 'latest spec'],
  ['kustomization-reconciling.yaml', 'Progressing', 'Reconciliation in progress'],
  ['kustomization-generation-stale.yaml', 'Progressing', 'latest spec'],
  ['widget-no-conditions.yaml', null],
  ['configmap.yaml', null],
];
