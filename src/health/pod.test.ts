import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../api/object.js';
import { podHealth } from './pod.js';
import { loadHealthFixture } from './testing/fixtures.js';

/** A pod in `phase` whose only container waits for `reason`. */
function podWaiting(phase: string, reason: string, restartPolicy?: string): KubeObject {
  const base = loadHealthFixture('pod-image-pull-backoff.yaml');
  return {
    ...base,
    spec: { containers: [{ name: 'web', image: 'nginx' }], ...(restartPolicy === undefined ? {} : { restartPolicy }) },
    status: { phase, containerStatuses: [{ name: 'web', ready: false, restartCount: 0, state: { waiting: { reason, message: `about ${reason}` } } }] },
  };
}

describe('podHealth: waiting containers', () => {
  const stuck = ['ErrImagePull', 'ImagePullBackOff', 'CrashLoopBackOff', 'CreateContainerConfigError', 'CreateContainerError', 'ErrImageNeverPull', 'RunContainerError'];

  it.each(stuck)('%s is Degraded, naming the container and the reason', (reason) => {
    for (const phase of ['Pending', 'Running']) {
      for (const restartPolicy of [undefined, 'Always']) {
        const health = podHealth(podWaiting(phase, reason, restartPolicy));
        expect(health.status).toBe('Degraded');
        expect(health.message).toBe(`container "web" is waiting: ${reason}: about ${reason}`);
      }
    }
  });

  it.each(stuck)('%s keeps a run-to-completion pod Progressing', (reason) => {
    for (const restartPolicy of ['Never', 'OnFailure']) {
      const health = podHealth(podWaiting('Pending', reason, restartPolicy));
      expect(health.status).toBe('Progressing');
      expect(health.message).toContain(reason);
    }
  });

  // InvalidImageName follows none of kubelet's patterns for a stuck container.
  it.each(['ContainerCreating', 'PodInitializing', 'InvalidImageName'])('%s is Progressing', (reason) => {
    expect(podHealth(podWaiting('Pending', reason)).status).toBe('Progressing');
  });

  it('lists every stuck container', () => {
    const pod = podWaiting('Pending', 'ImagePullBackOff');
    const status = {
      phase: 'Pending',
      containerStatuses: [
        { name: 'web', state: { waiting: { reason: 'ImagePullBackOff' } } },
        { name: 'sidecar', state: { waiting: { reason: 'CreateContainerConfigError', message: 'configmap "cfg" not found' } } },
      ],
    };
    expect(podHealth({ ...pod, status }).message).toBe(
      'container "web" is waiting: ImagePullBackOff; container "sidecar" is waiting: CreateContainerConfigError: configmap "cfg" not found',
    );
  });
});

describe('podHealth: phases', () => {
  it('is Healthy once Succeeded, whatever its restart policy', () => {
    for (const restartPolicy of ['Always', 'OnFailure', 'Never']) {
      const pod = loadHealthFixture('pod-succeeded.yaml');
      expect(podHealth({ ...pod, spec: { restartPolicy } }).status).toBe('Healthy');
    }
  });

  it('is Progressing while Running with restartPolicy OnFailure, even when Ready', () => {
    const pod = loadHealthFixture('pod-hook-running.yaml');
    expect(podHealth({ ...pod, spec: { restartPolicy: 'OnFailure' } }).status).toBe('Progressing');
  });

  it('is Progressing before the pod has any status', () => {
    const pod = loadHealthFixture('pod-running-ready.yaml');
    const { status: _status, ...withoutStatus } = pod;
    expect(podHealth(withoutStatus).status).toBe('Progressing');
  });

  it('says "pod failed" for a Failed pod with nothing more to say', () => {
    const pod = loadHealthFixture('pod-failed.yaml');
    expect(podHealth({ ...pod, status: { phase: 'Failed' } })).toEqual({ status: 'Degraded', message: 'pod failed' });
  });

  it('prefers an init container failure, which ran first', () => {
    const pod = loadHealthFixture('pod-failed.yaml');
    const status = {
      phase: 'Failed',
      initContainerStatuses: [{ name: 'setup', state: { terminated: { exitCode: 1, message: 'schema check failed' } } }],
      containerStatuses: [{ name: 'migrate', state: { terminated: { exitCode: 137, reason: 'Error' } } }],
    };
    expect(podHealth({ ...pod, status }).message).toBe('container "setup" failed: schema check failed');
  });
});

describe('podHealth: restart policy and the ignore-restart-policy annotation', () => {
  /** A running, ready pod that runs to completion, with these annotations. */
  function runningToCompletion(annotations: Record<string, string>, restartPolicy = 'Never'): KubeObject {
    const pod = loadHealthFixture('pod-restart-never-running.yaml');
    return { ...pod, metadata: { ...pod.metadata, annotations }, spec: { ...(pod.spec as object), restartPolicy } };
  }

  it.each(['capstan.dev/ignore-restart-policy', 'argocd.argoproj.io/ignore-restart-policy'])('%s: "true" assesses it as long-running', (key) => {
    for (const restartPolicy of ['Never', 'OnFailure']) {
      expect(podHealth(runningToCompletion({ [key]: 'true' }, restartPolicy))).toEqual({ status: 'Healthy' });
    }
  });

  it('takes only "true" for the annotation', () => {
    for (const value of ['false', 'True', 'yes', '']) {
      expect(podHealth(runningToCompletion({ 'capstan.dev/ignore-restart-policy': value })).status).toBe('Progressing');
    }
  });

  it.each([
    ['capstan.dev/hook', 'PreSync'],
    ['argocd.argoproj.io/hook', 'PostSync'],
    ['argocd.argoproj.io/hook', 'Skip,SyncFail'],
    ['capstan.dev/hook', 'PostDelete'],
    ['helm.sh/hook', 'post-install'],
  ])('does not apply to a hook (%s: %s)', (key, value) => {
    const health = podHealth(runningToCompletion({ 'argocd.argoproj.io/ignore-restart-policy': 'true', [key]: value }));
    expect(health).toEqual({ status: 'Progressing', message: 'pod is running to completion (restartPolicy Never); it is a hook, so ignore-restart-policy does not apply' });
  });

  it.each([
    ['argocd.argoproj.io/hook', 'Skip'],
    ['helm.sh/hook', 'crd-install'],
  ])('applies to an object whose hook annotation does not make it a hook (%s: %s)', (key, value) => {
    expect(podHealth(runningToCompletion({ 'argocd.argoproj.io/ignore-restart-policy': 'true', [key]: value })).status).toBe('Healthy');
  });

  it('is Unknown while Running with a restart policy Kubernetes does not have', () => {
    expect(podHealth(runningToCompletion({}, 'Sometimes'))).toEqual({
      status: 'Unknown',
      message: 'pod is running with restartPolicy Sometimes, which is not one Kubernetes knows',
    });
  });

  it('reads only regular containers for a restart: an init container that restarted before it succeeded is history', () => {
    const pod = loadHealthFixture('pod-init-restarted-not-ready.yaml');
    expect(podHealth(pod).status).toBe('Progressing');
    const status = pod.status as { containerStatuses: Record<string, unknown>[] };
    const restarted = { ...status.containerStatuses[0], lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } } };
    expect(podHealth({ ...pod, status: { ...status, containerStatuses: [restarted] } })).toEqual({
      status: 'Degraded',
      message: 'container "api" restarted (exit code 137: OOMKilled) and the pod is not ready',
    });
  });
});
