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
  ['statefulset-ondelete-not-ready.yaml', 'Progressing', '1 of 3 ready'],
  ['statefulset-rolling-update-defaulted.yaml', 'Progressing', '1 of 3 pods updated'],
  // A rolling update with parameters is done once enough pods are updated, as `kubectl rollout status` says.
  ['statefulset-updated-revision-lags.yaml', 'Healthy'],

  ['daemonset-healthy.yaml', 'Healthy'],
  ['daemonset-generation-stale.yaml', 'Progressing', 'observed'],
  ['daemonset-rolling-update.yaml', 'Progressing', '1 of 3 pods updated'],
  ['daemonset-unavailable.yaml', 'Progressing', '2 of 3 updated pods are available'],
  ['daemonset-ondelete.yaml', 'Healthy'],
  ['daemonset-ondelete-unavailable.yaml', 'Healthy', '1 of 4 pods updated'],

  ['replicaset-healthy.yaml', 'Healthy'],
  ['replicaset-generation-stale.yaml', 'Progressing', 'observed'],
  ['replicaset-unavailable.yaml', 'Progressing', '1 of 3 available'],
  ['replicaset-replica-failure.yaml', 'Degraded', 'exceeded quota'],

  ['pod-running-ready.yaml', 'Healthy'],
  ['pod-running-not-ready.yaml', 'Progressing', 'unready status: [web]'],
  ['pod-crashloop.yaml', 'Degraded', 'CrashLoopBackOff'],
  ['pod-restarted-not-ready.yaml', 'Degraded', 'OOMKilled'],
  ['pod-image-pull-backoff.yaml', 'Degraded', 'ImagePullBackOff'],
  // Init containers run while the pod is Pending: Progressing, whatever they wait for.
  ['pod-init-crashloop.yaml', 'Progressing', 'container "migrate" is waiting: CrashLoopBackOff'],
  ['pod-init-running.yaml', 'Progressing', 'PodInitializing'],
  ['pod-init-failed.yaml', 'Degraded', 'container "check-schema" failed: schema version 41'],
  ['pod-init-restarted-not-ready.yaml', 'Progressing', 'unready status: [api]'],
  ['pod-invalid-image-name.yaml', 'Progressing', 'InvalidImageName'],
  ['pod-pending.yaml', 'Progressing', 'Insufficient cpu'],
  ['pod-container-creating.yaml', 'Progressing', 'ContainerCreating'],
  ['pod-succeeded.yaml', 'Healthy'],
  ['pod-failed.yaml', 'Degraded', 'exit code 3'],
  ['pod-oomkilled.yaml', 'Degraded', 'OOMKilled'],
  ['pod-evicted.yaml', 'Degraded', 'Evicted: The node was low on resource: memory'],
  ['pod-hook-running.yaml', 'Progressing', 'restartPolicy Never'],
  ['pod-hook-image-pull-backoff.yaml', 'Progressing', 'ImagePullBackOff'],
  ['pod-restart-never-running.yaml', 'Progressing', 'restartPolicy Never'],
  ['pod-restart-onfailure-running.yaml', 'Progressing', 'restartPolicy OnFailure'],
  ['pod-restart-onfailure-backoff.yaml', 'Progressing', 'restartPolicy OnFailure'],
  ['pod-ignore-restart-policy-running.yaml', 'Healthy'],
  ['pod-ignore-restart-policy-backoff.yaml', 'Degraded', 'CrashLoopBackOff'],
  ['pod-ignore-restart-policy-hook.yaml', 'Progressing', 'ignore-restart-policy does not apply'],
  ['pod-deleting.yaml', 'Progressing', 'deletion'],
  ['pod-unknown-phase.yaml', 'Unknown', 'NodeLost'],

  ['job-complete.yaml', 'Healthy'],
  ['job-failed.yaml', 'Degraded', 'BackoffLimitExceeded'],
  // FailureTarget and SuccessCriteriaMet come before Failed and Complete, while the last pods stop.
  ['job-failure-target.yaml', 'Progressing', 'exit code 42'],
  ['job-success-criteria-met.yaml', 'Progressing', 'succeeded'],
  ['job-suspended.yaml', 'Suspended', 'suspended'],
  ['job-suspended-custom-message.yaml', 'Suspended', 'until the warehouse is back'],
  // spec.suspend alone: the job controller has not suspended it (and stopped its pods) yet.
  ['job-suspend-requested.yaml', 'Progressing', 'suspend'],
  ['job-running.yaml', 'Progressing', '1 active'],
  ['job-resumed.yaml', 'Progressing', '1 active'],

  ['pvc-bound.yaml', 'Healthy'],
  ['pvc-pending.yaml', 'Progressing', 'bound'],
  ['pvc-lost.yaml', 'Degraded', 'lost'],
  ['pvc-unrecognised-phase.yaml', 'Unknown', 'Resizing'],

  ['service-clusterip.yaml', 'Healthy'],
  ['service-lb-pending.yaml', 'Progressing', 'load balancer'],
  ['service-lb-ready.yaml', 'Healthy'],
  ['service-lb-hostname.yaml', 'Healthy'],
  ['service-lb-empty-ingress-entry.yaml', 'Healthy'],
  ['service-nodeport.yaml', 'Healthy'],

  ['ingress-healthy.yaml', 'Healthy'],
  ['ingress-no-address.yaml', 'Progressing', 'address'],
  ['ingress-empty-ingress-entry.yaml', 'Healthy'],
  ['ingress-extensions-no-address.yaml', 'Progressing', 'address'],

  ['apiservice-available.yaml', 'Healthy'],
  // Not available yet is Progressing, not Degraded: its backing service may still be starting.
  ['apiservice-unavailable.yaml', 'Progressing', 'FailedDiscoveryCheck'],
  ['apiservice-pending.yaml', 'Progressing'],
  ['apiservice-v1beta1-available.yaml', 'Healthy'],
  ['apiservice-v1beta1-unavailable.yaml', 'Progressing', 'MissingEndpoints'],

  ['hpa-healthy.yaml', 'Healthy'],
  ['hpa-metrics-unavailable.yaml', 'Degraded', 'FailedGetResourceMetric'],
  ['hpa-unable-to-scale.yaml', 'Degraded', 'FailedGetScale'],
  ['hpa-scaling-disabled.yaml', 'Healthy'],
  ['hpa-v2-not-yet-able-to-scale.yaml', 'Progressing', 'waiting for the autoscaler'],
  ['hpa-v2-no-conditions.yaml', 'Progressing', 'waiting for the autoscaler'],
  ['hpa-v2-invalid-selector.yaml', 'Degraded', 'missing a selector'],
  ['hpa-v2-failed-update-scale.yaml', 'Degraded', 'exceeded quota'],
  ['hpa-v2beta2-healthy.yaml', 'Healthy'],
  ['hpa-v2beta2-external-metric-unavailable.yaml', 'Degraded', 'FailedGetExternalMetric'],
  ['hpa-v2beta1-healthy.yaml', 'Healthy'],
  ['hpa-v2beta1-scaling-disabled.yaml', 'Healthy'],
  ['hpa-v2beta1-metrics-unavailable.yaml', 'Degraded', 'missing request for cpu'],
  // autoscaling/v1: the conditions are in the autoscaling.alpha.kubernetes.io/conditions annotation.
  ['hpa-v1-healthy.yaml', 'Healthy'],
  ['hpa-v1-scaling-limited.yaml', 'Healthy'],
  ['hpa-v1-progressing.yaml', 'Progressing', 'BackoffBoth'],
  ['hpa-v1-metrics-unavailable.yaml', 'Degraded', 'FailedGetResourceMetric'],
  ['hpa-v1-failed-object-metric.yaml', 'Degraded', 'FailedGetObjectMetric'],
  ['hpa-v1-no-annotation.yaml', 'Progressing', 'waiting for the autoscaler'],
  ['hpa-v1-empty-conditions.yaml', 'Progressing', 'waiting for the autoscaler'],
  ['hpa-v1-unreadable-conditions.yaml', 'Unknown', 'autoscaling.alpha.kubernetes.io/conditions'],

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
  ['argocd-application-healthy.yaml', 'Healthy'],
  ['argocd-application-degraded.yaml', 'Degraded', 'exceeded its progress deadline'],
  ['argocd-application-no-status.yaml', 'Progressing', 'report its health'],
  ['argocd-application-sync-running.yaml', 'Progressing', 'a sync is running'],

  ['workflow-not-started.yaml', 'Progressing'],
  ['workflow-running.yaml', 'Progressing', 'Running'],
  ['workflow-succeeded.yaml', 'Healthy'],
  ['workflow-failed.yaml', 'Degraded', "child 'etl-7xk2p-2871345' failed"],
  ['workflow-error.yaml', 'Degraded', 'pod deleted'],

  // Namespaces have no health of their own; a terminating one is deleting, so Progressing.
  ['namespace-active.yaml', null],
  ['namespace-terminating.yaml', 'Progressing', 'deletion'],

  ['certificate-ready.yaml', 'Healthy'],
  ['certificate-not-ready.yaml', 'Degraded', 'Secret does not exist'],
  ['certificate-stale-ready.yaml', 'Progressing', 'latest spec'],
  ['kustomization-reconciling.yaml', 'Progressing', 'Reconciliation in progress'],
  ['kustomization-generation-stale.yaml', 'Progressing', 'latest spec'],
  ['widget-no-conditions.yaml', null],
  ['configmap.yaml', null],
];
