// The approval gate against the real control plane (issue 15, acceptance 1): an app with
// syncPolicy.approval.required never syncs a new plan by itself; status.plan lists the changed
// Deployment field and a new ConfigMap, AwaitingApproval, nothing applied; `capstan app approve
// --plan HASH` applies it and history records who approved which plan; an approval of a stale
// hash after another commit applies nothing and the new plan waits; drift at the approved
// revision is still healed by itself.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Application } from '../../../src/api/application.js';
import { capstanCli, kubectl, readyCondition } from '../support/capstan.js';
import { eventually } from '../support/kube.js';
import { configMap, deployment } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';

const s = new Scenario('approval', { intervalMs: 600_000 });
const dest = s.destination('approval');
const replicas = (): string => kubectl('-n', dest, 'get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}');
const configMapExists = (name: string): boolean => kubectl('-n', dest, 'get', 'configmap', '--ignore-not-found', name, '-o', 'name').trim() !== '';
const awaiting = (sha: string) => (a: Application): boolean => a.status?.plan?.revision === sha && a.status.plan.state === 'AwaitingApproval' && readyCondition(a)?.reason === 'AwaitingApproval';

beforeAll(async () => {
  await s.setUp();
});
afterAll(async () => {
  await s.tearDown();
});

describe('the approval gate', () => {
  it('applies only an approved plan, refuses a stale one, and records the approver', async () => {
    s.repo.write('prod/deployment.yaml', deployment('web')).write('prod/keep.yaml', configMap('keep'));
    const first = s.repo.commit('prod');
    await s.apps.create('prod', {
      repoURL: s.repo.url, path: 'prod', destinationNamespace: dest, automated: { prune: true, selfHeal: true },
      extraSpec: { syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'], approval: { required: true } } },
    });
    // Even the first sync waits: the plan creates everything.
    const initial = await s.apps.waitFor('prod', 'the first plan to await approval', awaiting(first));
    expect(initial.status?.plan?.counts).toEqual({ create: 2, update: 0, prune: 0, hook: 0 });
    expect(kubectl('get', 'namespace', '--ignore-not-found', dest, '-o', 'name').trim()).toBe('');
    const approvedFirst = await capstanCli(['app', 'approve', 'prod', '-n', s.namespace, '--plan', initial.status?.plan?.hash ?? '', '--wait']);
    expect(approvedFirst.code).toBe(0);
    await s.apps.waitFor('prod', 'Synced at the first commit', (a) => a.status?.sync?.status === 'Synced' && a.status.sync.revision === first && a.status.plan === undefined);
    expect(replicas()).toBe('1');

    // A commit: the plan names the Deployment's changed field and the new ConfigMap; nothing is applied.
    s.repo.write('prod/deployment.yaml', deployment('web', { replicas: 3 })).write('prod/added.yaml', configMap('added'));
    const second = s.repo.commit('scale and add');
    s.apps.annotate('prod', { 'capstan.dev/refresh': 'normal' });
    const planned = await s.apps.waitFor('prod', 'the second plan to await approval', awaiting(second));
    expect(planned.status?.plan?.items).toEqual([
      { action: 'create', group: '', kind: 'ConfigMap', namespace: dest, name: 'added' },
      { action: 'update', group: 'apps', kind: 'Deployment', namespace: dest, name: 'web', paths: ['spec.replicas'] },
    ]);
    expect(readyCondition(planned)?.message).toContain(`capstan app approve prod --plan ${planned.status?.plan?.hash ?? ''}`);
    expect(replicas()).toBe('1');
    expect(configMapExists('added')).toBe(false);
    const secondHash = planned.status?.plan?.hash ?? '';

    // Another commit before anyone approved: the approval of the second plan is stale.
    s.repo.write('prod/deployment.yaml', deployment('web', { replicas: 4 }));
    const third = s.repo.commit('scale more');
    s.apps.annotate('prod', { 'capstan.dev/refresh': 'normal' });
    const replanned = await s.apps.waitFor('prod', 'the third plan to await approval', awaiting(third));
    const thirdHash = replanned.status?.plan?.hash ?? '';
    expect(thirdHash).not.toBe(secondHash);
    s.apps.annotate('prod', { 'capstan.dev/approve': secondHash });
    await s.apps.waitFor('prod', 'the stale approval to be handled', (a) => a.metadata.annotations?.['capstan.dev/approve'] === undefined);
    const stale = await eventually('the ApprovalStale Event', async () => (await s.apps.events('prod')).find((e) => e.reason === 'ApprovalStale'));
    expect(stale.message).toBe(`plan ${secondHash} approved by kubectl-annotate is not the plan now (${thirdHash}): nothing applied; the new plan awaits approval`);
    expect((await s.apps.mustGet('prod')).status?.plan).toMatchObject({ hash: thirdHash, state: 'AwaitingApproval' });
    expect(replicas()).toBe('1');
    expect(configMapExists('added')).toBe(false);
    const viaCli = await capstanCli(['app', 'approve', 'prod', '-n', s.namespace, '--plan', secondHash]);
    expect(viaCli.code).toBe(1);
    expect(viaCli.stdout).toContain(`plan ${secondHash} is not the plan of ${s.namespace}/prod now; nothing approved`);
    expect(viaCli.stdout).toContain(`(plan ${thirdHash}):`);

    // Approving the plan now applies exactly it, and history says who approved which plan.
    const approved = await capstanCli(['app', 'approve', 'prod', '-n', s.namespace, '--plan', thirdHash, '--wait']);
    expect(approved.code).toBe(0);
    const synced = await s.apps.waitFor('prod', 'Synced at the third commit', (a) => a.status?.sync?.status === 'Synced' && a.status.sync.revision === third);
    expect(replicas()).toBe('4');
    expect(configMapExists('added')).toBe(true);
    expect(synced.status?.history?.at(-1)).toMatchObject({ revision: third, initiatedBy: `approved by capstan-admin (plan ${thirdHash})`, approvedBy: 'capstan-admin', planHash: thirdHash });

    // Drift at the approved revision is healed without a new approval.
    kubectl('-n', dest, 'scale', 'deployment', 'web', '--replicas=2');
    await eventually('the drift to be healed', () => Promise.resolve(replicas() === '4' ? true : undefined));
  }, 240_000);
});
