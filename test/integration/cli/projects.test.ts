// AppProjects on the real control plane: the ProjectStore sees them created, changed and deleted
// (and implies project default until one named default exists), and `capstan proj list/get`
// print them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pino from 'pino';
import { Discovery } from '../../../src/cluster/discovery.js';
import { KubeHttp } from '../../../src/cluster/http.js';
import { loadKubeConfig } from '../../../src/cluster/kubeconfig.js';
import { ResourceClient } from '../../../src/cluster/resources.js';
import { ProjectStore } from '../../../src/projects/project-store.js';
import { capstanCli, installCrd, kubectl, kubectlApply } from '../support/capstan.js';
import { createNamespace, deleteNamespace, eventually, testKubeConfig, testKubeconfigPath, uniqueName } from '../support/kube.js';

const namespace = uniqueName('proj');
const kc = testKubeConfig();
const http = new KubeHttp(loadKubeConfig({ kubeconfig: testKubeconfigPath() }));
const store = new ProjectStore({ http, resources: new ResourceClient(http, new Discovery(http)), namespace, logger: pino({ level: 'silent' }) });
const changed: string[] = [];

const teamA = (description: string) => ({
  apiVersion: 'capstan.dev/v1alpha1', kind: 'AppProject', metadata: { name: 'team-a', namespace },
  spec: {
    description,
    sourceRepos: ['https://git.example.com/team-a/*'],
    destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'team-a*' }],
    syncWindows: [{ kind: 'deny', schedule: '0 22 * * *', duration: '1h', applications: ['*'], manualSync: true }],
  },
});

beforeAll(async () => {
  await installCrd();
  await createNamespace(kc, namespace);
  store.onChange((name) => { changed.push(name); });
  await store.start();
}, 120_000);
afterAll(async () => {
  await store.stop();
  http.close();
  await deleteNamespace(kc, namespace);
});

describe('AppProjects', () => {
  it('the store implies default, then sees an AppProject created, changed and deleted', async () => {
    expect(store.state).toBe('watching');
    expect(store.get('default')?.spec.sourceRepos).toEqual(['*']);
    expect(store.get('team-a')).toBeUndefined();
    kubectlApply(teamA('first'));
    await eventually('team-a in the store', () => Promise.resolve(store.get('team-a')?.spec.description === 'first' ? true : undefined));
    kubectlApply(teamA('second'));
    await eventually('team-a changed', () => Promise.resolve(store.get('team-a')?.spec.description === 'second' ? true : undefined));
    expect(changed.filter((n) => n === 'team-a').length).toBeGreaterThanOrEqual(2);
    expect(store.list().map((p) => p.metadata.name).sort()).toEqual(['default', 'team-a']);
    kubectl('delete', 'appprojects.capstan.dev', 'team-a', '-n', namespace);
    await eventually('team-a gone', () => Promise.resolve(store.get('team-a') === undefined ? true : undefined));
  }, 60_000);

  it('an AppProject named default replaces the implicit one', async () => {
    kubectlApply({ apiVersion: 'capstan.dev/v1alpha1', kind: 'AppProject', metadata: { name: 'default', namespace }, spec: { sourceRepos: ['https://only/*'] } });
    await eventually('default stored', () => Promise.resolve(store.get('default')?.spec.sourceRepos?.[0] === 'https://only/*' ? true : undefined));
    kubectl('delete', 'appprojects.capstan.dev', 'default', '-n', namespace);
    await eventually('default implicit again', () => Promise.resolve(store.get('default')?.spec.sourceRepos?.[0] === '*' ? true : undefined));
  }, 60_000);

  it('capstan proj list and get print them', async () => {
    kubectlApply(teamA('Team A apps'));
    const list = await capstanCli(['proj', 'list', '-n', namespace]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/team-a +Team A apps +https:\/\/git\.example\.com\/team-a\/\* +1: https:\/\/kubernetes\.default\.svc\/team-a\* +1 deny/);
    expect(list.stdout).toMatch(/default +\(implicit: no AppProject named default\)/);
    const json = await capstanCli(['proj', 'list', '-n', namespace, '-o', 'json']);
    expect((JSON.parse(json.stdout) as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name)).toEqual(['team-a']);
    const get = await capstanCli(['proj', 'get', 'team-a', '-n', namespace]);
    expect(get.code).toBe(0);
    expect(get.stdout).toContain(`Name:               ${namespace}/team-a\n`);
    expect(get.stdout).toMatch(/deny +0 22 \* \* \* +1h +UTC +\* +<none> +<none> +yes/);
    const missing = await capstanCli(['proj', 'get', 'nope', '-n', namespace]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`AppProject ${namespace}/nope not found`);
  }, 120_000);
});
