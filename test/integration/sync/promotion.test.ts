// Promotion against the real control plane (issue 15, acceptance 2): stage and prod apps on one
// repository, prod with promotion.after {application: stage, healthyFor: 20s}. Each commit
// reaches prod only after stage has been Synced and Healthy at it for 20 s (PromotionPending says
// which revision waits and until when); a commit that makes stage Degraded never reaches prod.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Application } from '../../../src/api/application.js';
import { isSyncedHealthy, kubectl, readyCondition } from '../support/capstan.js';
import { configMap, deployment } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';

const s = new Scenario('promote', { intervalMs: 600_000 });
const stageNs = s.destination('promote-stage');
const prodNs = s.destination('promote-prod');
const colour = (ns: string): string => kubectl('-n', ns, 'get', 'configmap', '--ignore-not-found', 'version', '-o', 'jsonpath={.data.colour}');
const pending = (a: Application) => a.status?.conditions?.find((c) => c.type === 'PromotionPending');
const readySince = (a: Application): number => Date.parse(a.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime ?? '');

function write(env: 'stage' | 'prod', version: string, degraded = false): void {
  const web = degraded
    ? deployment('web').replace('spec:\n  replicas', 'spec:\n  progressDeadlineSeconds: 5\n  replicas').replace('    spec:\n      containers', `    spec:\n      nodeSelector: { capstan.dev/no-such-node: "${s.namespace}" }\n      containers`)
    : deployment('web');
  s.repo.write(`${env}/deployment.yaml`, web).write(`${env}/version.yaml`, configMap('version', { colour: version }));
}

/** Waits until prod is Synced at `sha`; returns how long after stage became Ready at it prod's sync started. */
async function promoted(sha: string): Promise<number> {
  const stage = await s.apps.waitFor('stage', `stage Synced and Healthy at ${sha.slice(0, 7)}`, (a) => isSyncedHealthy(a) && a.status?.sync?.revision === sha, 120_000);
  const waiting = await s.apps.waitFor('prod', 'prod to say the revision waits', (a) => pending(a)?.message.includes(`revision ${sha.slice(0, 7)} waits until`) === true || (a.status?.sync?.revision !== sha && readyCondition(a)?.reason === 'PromotionPending'), 60_000);
  expect(waiting.status?.sync?.revision).not.toBe(sha);
  const prod = await s.apps.waitFor('prod', `prod Synced at ${sha.slice(0, 7)}`, (a) => a.status?.sync?.revision === sha && isSyncedHealthy(a) && a.status.operationState?.revision === sha, 120_000);
  expect(pending(prod)).toBeUndefined();
  return Date.parse(prod.status?.operationState?.startedAt ?? '') - readySince(stage);
}

beforeAll(async () => {
  await s.setUp();
});
afterAll(async () => {
  await s.tearDown();
});

describe('promotion after stage', () => {
  it('moves prod to each commit only after stage has been Healthy at it for 20 s, and never to one that degrades stage', async () => {
    write('stage', 'blue');
    write('prod', 'blue');
    const first = s.repo.commit('blue');
    await s.apps.create('stage', { repoURL: s.repo.url, path: 'stage', destinationNamespace: stageNs });
    await s.apps.create('prod', { repoURL: s.repo.url, path: 'prod', destinationNamespace: prodNs, extraSpec: { promotion: { after: { application: 'stage', healthyFor: '20s' } } } });
    expect(await promoted(first)).toBeGreaterThanOrEqual(20_000);
    expect(colour(prodNs)).toBe('blue');

    write('stage', 'green');
    write('prod', 'green');
    const second = s.repo.commit('green');
    s.apps.annotate('stage', { 'capstan.dev/refresh': 'normal' });
    expect(await promoted(second)).toBeGreaterThanOrEqual(20_000);
    expect(colour(prodNs)).toBe('green');

    write('stage', 'red', true);
    write('prod', 'red');
    const third = s.repo.commit('red, and stage degrades');
    s.apps.annotate('stage', { 'capstan.dev/refresh': 'normal' });
    await s.apps.waitFor('stage', 'stage Degraded at the third commit', (a) => a.status?.sync?.revision === third && a.status.health?.status === 'Degraded', 120_000);
    const held = await s.apps.waitFor('prod', 'prod to wait for a Healthy stage', (a) => pending(a)?.message === `waits for ${s.namespace}/stage to be Synced and Healthy (it is Synced and Degraded at ${third.slice(0, 7)})`, 60_000);
    expect(held.status?.sync?.revision).toBe(second);
    expect(colour(prodNs)).toBe('green');
    expect(colour(stageNs)).toBe('red');
  }, 360_000);
});
