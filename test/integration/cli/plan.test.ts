// The deploy plan against the real control plane: an app that does not sync by itself, after a
// commit that changes a Deployment's replicas, adds a ConfigMap and drops another, shows in
// status.plan each object with its action (the changed field named) and a hash; `capstan app plan`
// prints it; a later comparison of the same state keeps the hash, a change of the cluster gives a
// new one; a sync without prune leaves the prune planned; once synced with prune the app has no plan.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { capstanCli, isSyncedHealthy, kubectl } from '../support/capstan.js';
import { configMap, deployment } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';

const s = new Scenario('plan', { intervalMs: 600_000 });

beforeAll(async () => {
  await s.setUp();
});
afterAll(async () => {
  await s.tearDown();
});

describe('the deploy plan', () => {
  it('lists what a sync would do, with a stable hash; capstan app plan prints it; a synced app has none', async () => {
    const dest = s.destination('plan');
    s.repo.write('web/deployment.yaml', deployment('web')).write('web/old.yaml', configMap('old'));
    s.repo.commit('web');
    await s.apps.create('web', { repoURL: s.repo.url, path: 'web', destinationNamespace: dest, automated: null });
    s.apps.annotate('web', { 'capstan.dev/sync': 'first' });
    await s.apps.waitFor('web', 'Synced and Healthy', (a) => isSyncedHealthy(a) && a.status?.plan === undefined, 120_000);

    s.repo.write('web/deployment.yaml', deployment('web', { replicas: 3 })).write('web/new.yaml', configMap('new')).remove('web/old.yaml');
    const sha = s.repo.commit('scale, add new, drop old');
    s.apps.annotate('web', { 'capstan.dev/refresh': 'normal' });
    const planned = await s.apps.waitFor('web', 'a plan at the new commit', (a) => a.status?.plan?.revision === sha);
    const plan = planned.status?.plan;
    expect(plan?.items).toEqual([
      { action: 'create', group: '', kind: 'ConfigMap', namespace: dest, name: 'new' },
      { action: 'update', group: 'apps', kind: 'Deployment', namespace: dest, name: 'web', paths: ['spec.replicas'] },
      { action: 'prune', group: '', kind: 'ConfigMap', namespace: dest, name: 'old' },
    ]);
    expect(plan?.counts).toEqual({ create: 1, update: 1, prune: 1, hook: 0 });
    // Nothing applied: the app does not sync by itself.
    expect(kubectl('-n', dest, 'get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}')).toBe('1');

    const printed = await capstanCli(['app', 'plan', 'web', '-n', s.namespace]);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain(`Plan for ${s.namespace}/web at ${sha.slice(0, 12)} (plan ${plan?.hash ?? ''}):`);
    expect(printed.stdout).toContain(`  ~ Deployment.apps ${dest}/web\n      spec.replicas\n`);
    expect(printed.stdout).toContain('Plan: 1 to create, 1 to update, 1 to prune, 0 hooks.');
    const json = await capstanCli(['app', 'plan', 'web', '-n', s.namespace, '-o', 'json']);
    expect(JSON.parse(json.stdout)).toEqual(plan);

    // The same state compared again keeps the hash; a change in the cluster changes it.
    s.apps.annotate('web', { 'capstan.dev/refresh': 'hard' });
    await s.apps.waitFor('web', 'the hard refresh to be handled', (a) => a.metadata.annotations?.['capstan.dev/refresh'] === undefined);
    expect((await s.apps.mustGet('web')).status?.plan?.hash).toBe(plan?.hash);
    kubectl('-n', dest, 'patch', 'deployment', 'web', '--type', 'merge', '-p', '{"spec":{"replicas":2}}');
    const replanned = await s.apps.waitFor('web', 'a new plan after the cluster changed', (a) => a.status?.plan !== undefined && a.status.plan.hash !== plan?.hash);
    expect(replanned.status?.plan?.items.find((i) => i.kind === 'Deployment')?.paths).toEqual(['spec.replicas']);

    // A sync without prune leaves the prune in the plan; one with prune leaves nothing to do.
    s.apps.annotate('web', { 'capstan.dev/sync': 'second' });
    const pruneLeft = await s.apps.waitFor('web', 'only the prune left in the plan', (a) => a.status?.operationState?.phase === 'Succeeded' && a.status.plan?.counts.update === 0 && a.status.plan.revision === sha);
    expect(pruneLeft.status?.plan?.items.map((i) => `${i.action} ${i.kind}/${i.name}`)).toEqual(['prune ConfigMap/old']);
    expect(kubectl('-n', dest, 'get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}')).toBe('3');
    expect((await capstanCli(['app', 'sync', 'web', '-n', s.namespace, '--prune', '--wait'])).code).toBe(0);
    await s.apps.waitFor('web', 'synced at the new commit, without a plan', (a) => a.status?.sync?.revision === sha && a.status.sync.status === 'Synced' && a.status.plan === undefined);
    const none = await capstanCli(['app', 'plan', 'web', '-n', s.namespace]);
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('has no plan: it is Synced');
  }, 240_000);
});
