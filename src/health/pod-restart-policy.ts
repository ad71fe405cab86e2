import { resourceAnnotation } from '../api/annotations.js';
import type { KubeObject } from '../api/object.js';
import { stringAt } from './fields.js';

/** On a Pod: `"true"` assesses a running pod like a long-running one whatever its restartPolicy (not on hooks). */
const ignoreRestartPolicyAnnotations = ['capstan.dev/ignore-restart-policy', 'argocd.argoproj.io/ignore-restart-policy'] as const;

const helmHookAnnotation = 'helm.sh/hook';
const hookTypes: readonly string[] = ['PreSync', 'Sync', 'PostSync', 'SyncFail', 'PostDelete', 'Skip'];

/** spec.restartPolicy, Always when absent (the API server's default). */
export function restartPolicyOf(pod: KubeObject): string {
  return stringAt(pod, 'spec', 'restartPolicy') ?? 'Always';
}

/**
 * Whether a pod is assessed as a long-running one: restartPolicy Always, or an ignore-restart-policy
 * annotation on a pod that is not a hook. A hook's completion is read from its health, so a hook
 * pod that runs to completion must stay Progressing until it ends.
 */
export function isLongRunningPod(pod: KubeObject): boolean {
  return restartPolicyOf(pod) === 'Always' || (hasIgnoreRestartPolicy(pod) && !runsAsHook(pod));
}

export function hasIgnoreRestartPolicy(pod: KubeObject): boolean {
  const annotations = pod.metadata.annotations;
  return ignoreRestartPolicyAnnotations.some((key) => annotations?.[key] === 'true');
}

/**
 * Whether the object runs as a hook: a hook annotation whose known types are not just `Skip` (a
 * skipped object is not applied at all), or Helm's hook annotation other than `crd-install`
 * (an ordinary object to Helm 2).
 */
function runsAsHook(obj: KubeObject): boolean {
  const annotations = obj.metadata.annotations;
  const own = resourceAnnotation(annotations, 'hook');
  if (own !== undefined) {
    const known = own
      .split(',')
      .map((part) => part.trim())
      .filter((part) => hookTypes.includes(part));
    return !(known.length === 1 && known[0] === 'Skip');
  }
  const helm = annotations?.[helmHookAnnotation];
  return helm !== undefined && helm !== 'crd-install';
}
