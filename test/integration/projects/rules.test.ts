// Acceptance 2 of issue 13 on the real control plane: a project whose destinations allow only
// namespaces <prefix>-a*; an app rendering an object in another namespace, or a ClusterRole, is
// refused with ProjectDenied naming the rule and nothing of it is applied; the same app in a
// permissive project syncs. A repository sourceRepos does not list and a project that does not
// exist are refused too; creating the missing project lets its app sync without a refresh.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import type { Application } from '../../../src/api/application.js';
import { isSyncedHealthy, readyCondition } from '../support/capstan.js';
import { createNamespace, eventually, uniqueName } from '../support/kube.js';
import { configMap } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';
import { applyProject, permissive } from './support.js';

const s = new Scenario('projrules', { intervalMs: 600_000 });
const prefix = uniqueName('tenant');
const teamA = `${prefix}-a-web`;
const teamB = `${prefix}-b`;
const clusterRole = `${prefix}-reader`;
let core: CoreV1Api;
let rbac: RbacAuthorizationV1Api;

beforeAll(async () => {
  await s.setUp();
  core = s.kc.makeApiClient(CoreV1Api);
  rbac = s.kc.makeApiClient(RbacAuthorizationV1Api);
  for (const ns of [teamA, teamB]) {
    s.destination(ns);
    await createNamespace(s.kc, ns);
  }
  applyProject(s.namespace, 'team-a', {
    sourceRepos: [s.repo.url],
    destinations: [{ server: 'https://kubernetes.default.svc', namespace: `${prefix}-a*` }],
  });
  applyProject(s.namespace, 'open', permissive);
  applyProject(s.namespace, 'other-repos', { sourceRepos: ['https://git.example.com/only/*'], destinations: [{ server: '*', namespace: '*' }] });
  s.repo.write('spill/settings.yaml', configMap('settings'));
  s.repo.write('spill/other.yaml', configMap('other').replace('metadata:\n', `metadata:\n  namespace: ${teamB}\n`));
  s.repo.write('cluster/settings.yaml', configMap('role-settings'));
  s.repo.write('cluster/role.yaml', `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ${clusterRole}\nrules: []\n`);
  s.repo.write('plain/settings.yaml', configMap('settings'));
  s.repo.commit('apps');
}, 120_000);
afterAll(async () => {
  await s.tearDown();
}, 120_000);

async function configMapNames(namespace: string): Promise<string[]> {
  const list = await core.listNamespacedConfigMap({ namespace, labelSelector: 'app.capstan.dev/managed-by=capstan' });
  return list.items.map((c) => c.metadata?.name ?? '').sort();
}

const clusterRoleExists = (): Promise<boolean> => rbac.readClusterRole({ name: clusterRole }).then(() => true, () => false);

async function expectDenied(name: string, rule: string): Promise<Application> {
  const app = await s.apps.waitFor(name, 'ProjectDenied', (a) => readyCondition(a)?.reason === 'ProjectDenied');
  expect(readyCondition(app)).toMatchObject({ status: 'False' });
  expect(readyCondition(app)?.message).toContain(rule);
  expect(readyCondition(app)?.message).toContain('nothing was applied');
  const warning = await eventually('a Warning Event ProjectDenied', async () =>
    (await s.apps.events(name)).find((e) => e.type === 'Warning' && e.reason === 'ProjectDenied'));
  expect(warning.message).toContain(rule);
  return app;
}

const create = (name: string, path: string, project: string, destination = teamA) =>
  s.apps.create(name, { repoURL: s.repo.url, path, destinationNamespace: destination, syncOptions: [], extraSpec: { project } });

describe('a project allowing only the namespaces <prefix>-a*', () => {
  it('refuses an app that renders an object in another namespace, applying nothing; the same app in a permissive project syncs', async () => {
    await create('spill', 'spill', 'team-a');
    await expectDenied('spill', `ConfigMap ${teamB}/other: destination namespace "${teamB}" is not permitted by project "team-a" (destinations: https://kubernetes.default.svc/${prefix}-a*)`);
    expect(await configMapNames(teamA)).toEqual([]);
    expect(await configMapNames(teamB)).toEqual([]);

    await create('spill-open', 'spill', 'open');
    await s.apps.waitFor('spill-open', 'Synced in the permissive project', isSyncedHealthy);
    expect(await configMapNames(teamA)).toEqual(['settings']);
    expect(await configMapNames(teamB)).toEqual(['other']);
  }, 120_000);

  it('refuses an app that renders a ClusterRole; in a permissive project it syncs', async () => {
    await create('cluster', 'cluster', 'team-a');
    await expectDenied('cluster', `cluster-scoped resource rbac.authorization.k8s.io/ClusterRole "${clusterRole}" is not permitted by project "team-a" (clusterResourceWhitelist: none)`);
    expect(await clusterRoleExists()).toBe(false);
    s.apps.patchSpec('cluster', { project: 'open' });
    await s.apps.waitFor('cluster', 'Synced once its project is the permissive one', isSyncedHealthy);
    expect(await clusterRoleExists()).toBe(true);
  }, 120_000);

  it('refuses a destination namespace outside <prefix>-a*', async () => {
    await create('elsewhere', 'plain', 'team-a', teamB);
    await expectDenied('elsewhere', `destination namespace "${teamB}" is not permitted by project "team-a"`);
    expect(await configMapNames(teamB)).not.toContain('settings');
  }, 120_000);
});

describe('the app as a whole', () => {
  it('refuses a repository sourceRepos does not list', async () => {
    await create('wrong-repo', 'plain', 'other-repos');
    await expectDenied('wrong-repo', `source repository ${JSON.stringify(s.repo.url)} is not permitted by project "other-repos" (sourceRepos: https://git.example.com/only/*)`);
  }, 120_000);

  it('refuses a project that does not exist, and syncs once it is created (the project change re-enqueues the app)', async () => {
    const dest = s.destination(`${prefix}-a-late`);
    await createNamespace(s.kc, dest);
    await create('late', 'plain', 'late', dest);
    await expectDenied('late', `project "late" cannot be used: no AppProject "late" exists in namespace ${s.namespace}`);
    expect(await configMapNames(dest)).toEqual([]);
    applyProject(s.namespace, 'late', { sourceRepos: ['*'], destinations: [{ server: 'https://kubernetes.default.svc', namespace: dest }] });
    await s.apps.waitFor('late', 'Synced once the project exists', isSyncedHealthy);
    expect(await configMapNames(dest)).toEqual(['settings']);
  }, 120_000);
});
