import { healthSeverity, type HealthAssessment, type HealthStatus } from '../api/health.js';
import { applicationGroup, applicationKind } from '../api/application.js';
import { groupOf, type KubeObject } from '../api/object.js';
import { apiServiceHealth } from './apiservice.js';
import { applicationHealth } from './application.js';
import { customResourceDefinitionHealth } from './crd.js';
import { daemonSetHealth } from './daemonset.js';
import { deploymentHealth } from './deployment.js';
import { horizontalPodAutoscalerHealth } from './hpa.js';
import { ingressHealth } from './ingress.js';
import { jobHealth } from './job.js';
import { podHealth } from './pod.js';
import { persistentVolumeClaimHealth } from './pvc.js';
import { readyConditionHealth } from './ready-condition.js';
import { replicaSetHealth } from './replicaset.js';
import type { HealthRule } from './rule.js';
import { serviceHealth } from './service.js';
import { statefulSetHealth } from './statefulset.js';
import { workflowHealth } from './workflow.js';

export type { HealthRule } from './rule.js';

const rules: ReadonlyMap<string, HealthRule> = new Map<string, HealthRule>([
  [ruleKey('apps', 'Deployment'), deploymentHealth],
  [ruleKey('apps', 'StatefulSet'), statefulSetHealth],
  [ruleKey('apps', 'DaemonSet'), daemonSetHealth],
  [ruleKey('apps', 'ReplicaSet'), replicaSetHealth],
  [ruleKey('', 'Pod'), podHealth],
  [ruleKey('', 'PersistentVolumeClaim'), persistentVolumeClaimHealth],
  [ruleKey('', 'Service'), serviceHealth],
  [ruleKey('batch', 'Job'), jobHealth],
  [ruleKey('networking.k8s.io', 'Ingress'), ingressHealth],
  // Served until Kubernetes 1.22; older manifests still name it.
  [ruleKey('extensions', 'Ingress'), ingressHealth],
  [ruleKey('apiregistration.k8s.io', 'APIService'), apiServiceHealth],
  [ruleKey('autoscaling', 'HorizontalPodAutoscaler'), horizontalPodAutoscalerHealth],
  [ruleKey('apiextensions.k8s.io', 'CustomResourceDefinition'), customResourceDefinitionHealth],
  [ruleKey(applicationGroup, applicationKind), applicationHealth],
  [ruleKey('argoproj.io', 'Application'), applicationHealth],
  [ruleKey('argoproj.io', 'Workflow'), workflowHealth],
]);

function ruleKey(group: string, kind: string): string {
  return `${group}/${kind}`;
}

/** The health rule of a kind ('' is the core group), or undefined when the kind has none of its own. */
export function healthRuleFor(group: string, kind: string): HealthRule | undefined {
  return rules.get(ruleKey(group, kind));
}

/**
 * Health of one object: a deleting object (metadata.deletionTimestamp set) is Progressing;
 * a kind with a rule uses it; other kinds use their `Ready` condition if status.conditions has
 * one (True → Healthy, False → Degraded, Unknown → Progressing); otherwise null ("no health
 * rule": callers count it as Healthy).
 */
export function assessHealth(obj: KubeObject): HealthAssessment | null {
  if (obj.metadata.deletionTimestamp !== undefined) return { status: 'Progressing', message: 'pending deletion' };
  const rule = healthRuleFor(groupOf(obj.apiVersion), obj.kind);
  return rule === undefined ? readyConditionHealth(obj) : rule(obj);
}

/**
 * Application health: worst child wins (Healthy < Suspended < Progressing < Missing < Degraded
 * < Unknown); null children count as Healthy. The message is the first one given for the worst
 * status; a Healthy result has none. Missing for desired objects that do not exist is the
 * caller's job, as is naming the object in a message.
 */
export function aggregateHealth(items: Iterable<HealthAssessment | null>): HealthAssessment {
  let worst: HealthStatus = 'Healthy';
  let message: string | undefined;
  for (const item of items) {
    if (item === null) continue;
    if (healthSeverity(item.status) > healthSeverity(worst)) {
      worst = item.status;
      message = item.message;
    } else if (item.status === worst && message === undefined) {
      message = item.message;
    }
  }
  return worst === 'Healthy' || message === undefined || message === '' ? { status: worst } : { status: worst, message };
}
