// Correctness issue, acceptance 5: two apps hold an HPA, one declared as autoscaling/v1, the
// other as autoscaling/v2. Each is compared at the version it declares: both are Synced, and
// three refreshes write nothing (resourceVersions unchanged).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { kubectl } from '../support/capstan.js';
import { eventually } from '../support/kube.js';
import { handledRefresh, settled } from '../support/settle.js';
import { deployment } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';

const s = new Scenario('apiversions', { intervalMs: 600_000 });

beforeAll(async () => {
  await s.setUp();
});
afterAll(async () => {
  await s.tearDown();
});

const hpaV1 = `apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 1
  maxReplicas: 3
  targetCPUUtilizationPercentage: 80
`;

const hpaV2 = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 1
  maxReplicas: 3
  metrics:
    - type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: 80 } }
`;

function versions(namespace: string): string {
  return kubectl('-n', namespace, 'get', 'horizontalpodautoscalers.v2.autoscaling,deployments', '-o', 'jsonpath={range .items[*]}{.kind}/{.metadata.name}={.metadata.resourceVersion} {end}');
}

/** Whether the HPA controller has written the HPA's status (its conditions). */
function hpaObserved(namespace: string): boolean {
  return kubectl('-n', namespace, 'get', 'horizontalpodautoscalers.v2.autoscaling', 'web', '-o', 'jsonpath={.status.conditions[*].type}').trim() !== '';
}

describe('one kind at two API versions', () => {
  it('keeps an autoscaling/v1 and an autoscaling/v2 HPA Synced, with zero writes over three refreshes', async () => {
    const destV1 = s.destination('hpa-v1');
    const destV2 = s.destination('hpa-v2');
    s.repo.write('v1/hpa.yaml', `${hpaV1}---\n${deployment('web')}`);
    s.repo.write('v2/hpa.yaml', `${hpaV2}---\n${deployment('web')}`);
    s.repo.commit('two HPAs');
    await s.apps.create('hpa-v1', { repoURL: s.repo.url, path: 'v1', destinationNamespace: destV1 });
    await s.apps.create('hpa-v2', { repoURL: s.repo.url, path: 'v2', destinationNamespace: destV2 });
    for (const name of ['hpa-v1', 'hpa-v2']) await s.apps.waitFor(name, 'Synced', (a) => a.status?.sync?.status === 'Synced', 90_000);
    // The HPA controller writes each HPA's status once, at its first resync (about 15 s after
    // creation); only after that are the resourceVersions Capstan's alone to change.
    for (const ns of [destV1, destV2]) await eventually(`the HPA controller to report on ${ns}/web`, () => Promise.resolve(hpaObserved(ns) ? true : undefined), 90_000);
    await settled(s.apps, 'hpa-v1', () => Promise.resolve(versions(destV1)));
    await settled(s.apps, 'hpa-v2', () => Promise.resolve(versions(destV2)));
    const before = [versions(destV1), versions(destV2)];
    const statusBefore = [(await s.apps.mustGet('hpa-v1')).status, (await s.apps.mustGet('hpa-v2')).status];
    for (let i = 0; i < 3; i++) {
      await handledRefresh(s.apps, 'hpa-v1');
      await handledRefresh(s.apps, 'hpa-v2');
    }
    expect([versions(destV1), versions(destV2)]).toEqual(before);
    const after = [await s.apps.mustGet('hpa-v1'), await s.apps.mustGet('hpa-v2')];
    expect(after.map((a) => a.status?.sync?.status)).toEqual(['Synced', 'Synced']);
    expect(after.map((a) => a.status)).toEqual(statusBefore);
    expect(after[0]?.status?.resources?.find((r) => r.kind === 'HorizontalPodAutoscaler')?.version).toBe('v1');
    expect(after[1]?.status?.resources?.find((r) => r.kind === 'HorizontalPodAutoscaler')?.version).toBe('v2');
    expect(after.every((a) => a.status?.history?.length === 1)).toBe(true);
  });
});
