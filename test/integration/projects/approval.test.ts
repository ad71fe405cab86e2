// Project-level approval on the real control plane: a project whose approval.destinations names
// an app's destination namespace holds that app (which says nothing of approval itself) at
// AwaitingApproval with nothing applied; approving the plan's hash applies it, and history records
// who approved (the annotation's field manager) and which plan. An app of the same project in a
// namespace no rule names syncs by itself. With approval.selfHeal false, drift at the revision
// last synced is corrected only once its plan is approved.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Application, HistoryEntry } from '../../../src/api/application.js';
import { capstanCli, kubectl, readyCondition } from '../support/capstan.js';
import { eventually } from '../support/kube.js';
import { configMap } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';
import { applyProject, permissive } from './support.js';

const s = new Scenario('projapproval', { intervalMs: 600_000 });
// The rules name the namespaces by their prefixes: gated-*, strict-*; free-* is named by none.
const gated = s.destination('gated');
const free = s.destination('free');
const strict = s.destination('strict');
let revision = '';

const settings = (namespace: string): string => kubectl('-n', namespace, 'get', 'configmap', '--ignore-not-found', 'settings', '-o', 'jsonpath={.data.key}');
const namespaceExists = (namespace: string): boolean => kubectl('get', 'namespace', '--ignore-not-found', namespace, '-o', 'name').trim() !== '';
const awaiting = (a: Application): boolean => a.status?.plan?.state === 'AwaitingApproval' && readyCondition(a)?.reason === 'AwaitingApproval';
/** Approves as `manager`: the field manager of the annotation is who the history names. */
const approveAs = (app: string, hash: string, manager: string): void => {
  kubectl('-n', s.namespace, 'annotate', '--overwrite', `--field-manager=${manager}`, 'applications.capstan.dev', app, `capstan.dev/approve=${hash}`);
};
/** Changes the ConfigMap's data as someone other than Capstan. */
const drift = (namespace: string): void => {
  kubectl('-n', namespace, 'patch', 'configmap', 'settings', '--type', 'merge', '--field-manager=intruder', '-p', JSON.stringify({ data: { key: 'drifted' } }));
};
const createApp = (name: string, project: string, namespace: string): Promise<Application> => s.apps.create(name, {
  repoURL: s.repo.url, path: 'app', destinationNamespace: namespace, automated: { prune: true, selfHeal: true }, extraSpec: { project },
});

beforeAll(async () => {
  await s.setUp();
  applyProject(s.namespace, 'prod-team', { ...permissive, approval: { destinations: [{ name: 'in-cluster', namespace: 'gated-*' }] } });
  applyProject(s.namespace, 'strict-team', { ...permissive, approval: { destinations: [{ server: '*', namespace: 'strict-*' }], selfHeal: false } });
  s.repo.write('app/settings.yaml', configMap('settings'));
  revision = s.repo.commit('app');
}, 120_000);
afterAll(async () => {
  await s.tearDown();
}, 120_000);

describe('a project that requires approval for some destinations', () => {
  it('holds an app that does not require approval itself until its plan is approved, and records who approved which plan', async () => {
    await createApp('web', 'prod-team', gated);
    const held = await s.apps.waitFor('web', 'the plan to await approval', (a) => awaiting(a) && a.status?.plan?.revision === revision);
    const hash = held.status?.plan?.hash ?? '';
    expect(readyCondition(held)?.message).toContain(`project prod-team requires approval for destination in-cluster/${gated} (approval.destinations: name=in-cluster/gated-*)`);
    expect(readyCondition(held)?.message).toContain(`capstan app approve web --plan ${hash}`);
    expect(held.status?.plan?.counts).toEqual({ create: 1, update: 0, prune: 0, hook: 0 });
    expect(held.status?.operationState).toBeUndefined();
    expect(namespaceExists(gated)).toBe(false);

    approveAs('web', hash, 'release-manager');
    const synced = await s.apps.waitFor('web', 'Synced after the approval', (a) => a.status?.sync?.status === 'Synced' && a.status.history?.at(-1)?.planHash === hash);
    expect(settings(gated)).toBe('value');
    expect(synced.status?.history?.at(-1)).toMatchObject({ revision, approvedBy: 'release-manager', planHash: hash, initiatedBy: `approved by release-manager (plan ${hash})` });

    const json = await capstanCli(['app', 'history', 'web', '-n', s.namespace, '-o', 'json']);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as HistoryEntry[]).at(-1)).toMatchObject({ approvedBy: 'release-manager', planHash: hash });
    const table = await capstanCli(['app', 'history', 'web', '-n', s.namespace]);
    expect(table.stdout).toMatch(/APPROVED BY\s+PLAN/);
    expect(table.stdout).toContain(hash);

    // approval.selfHeal is true by default: drift at the revision last synced is healed by itself.
    drift(gated);
    await eventually('the drift to be healed', () => Promise.resolve(settings(gated) === 'value' ? true : undefined));
  }, 180_000);

  it('lets an app of the project whose namespace no rule names sync by itself', async () => {
    await createApp('free', 'prod-team', free);
    const synced = await s.apps.waitFor('free', 'Synced', (a) => a.status?.sync?.status === 'Synced' && a.status.history !== undefined);
    expect(settings(free)).toBe('value');
    expect(synced.status?.plan).toBeUndefined();
    expect(synced.status?.history?.at(-1)?.approvedBy).toBeUndefined();
    expect(synced.status?.history?.at(-1)?.planHash).toBeUndefined();
  }, 120_000);

  it('with approval.selfHeal false, corrects drift only once its plan is approved', async () => {
    await createApp('strict', 'strict-team', strict);
    const first = await s.apps.waitFor('strict', 'the first plan to await approval', (a) => awaiting(a) && a.status?.plan?.revision === revision);
    const firstHash = first.status?.plan?.hash ?? '';
    approveAs('strict', firstHash, 'release-manager');
    await s.apps.waitFor('strict', 'Synced after the approval', (a) => a.status?.sync?.status === 'Synced' && a.status.history?.at(-1)?.planHash === firstHash);
    expect(settings(strict)).toBe('value');

    drift(strict);
    const healPlan = await s.apps.waitFor('strict', 'the drift correction to await approval', (a) => awaiting(a) && a.status?.plan?.revision === revision && a.status.plan.hash !== firstHash);
    expect(healPlan.status?.plan?.items).toEqual([{ action: 'update', group: '', kind: 'ConfigMap', namespace: strict, name: 'settings', paths: ['data.key'] }]);
    expect(readyCondition(healPlan)?.message).toContain(`project strict-team requires approval for destination in-cluster/${strict}`);
    expect(settings(strict)).toBe('drifted');
    expect(healPlan.status?.history).toHaveLength(1);

    const healHash = healPlan.status?.plan?.hash ?? '';
    approveAs('strict', healHash, 'on-call');
    const healed = await s.apps.waitFor('strict', 'Synced after the correction was approved', (a) => a.status?.sync?.status === 'Synced' && a.status.history?.at(-1)?.planHash === healHash);
    expect(settings(strict)).toBe('value');
    expect(healed.status?.history?.at(-1)).toMatchObject({ revision, approvedBy: 'on-call', planHash: healHash });
  }, 180_000);
});
