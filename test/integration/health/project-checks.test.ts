// Issue 11, acceptance 2: the project's own Lua health checks (src/health/custom/testing, in
// Argo CD's resource_customizations layout) loaded into a live capstan-config, with their objects
// synced from Git and their status written as a controller would: each object's health in the
// Application's status is the one `capstan health --customizations` gives offline.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiextensionsV1Api } from '@kubernetes/client-node';
import { dump } from 'js-yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Application } from '../../../src/api/application.js';
import { groupOf, type KubeObject } from '../../../src/api/object.js';
import { customCheckFiles, customChecksDir, customHealthExpectations, loadCustomObject } from '../../../src/health/custom/testing/expectations.js';
import { kubectl, kubectlApply, waitForCrdsEstablished } from '../support/capstan.js';
import { Scenario } from '../support/scenario.js';

const s = new Scenario('luachecks', { intervalMs: 600_000 });
/** Every custom group gets this suffix, so that the test's CRDs are its own. */
const suffix = `${s.namespace}.capstan.test`;
const liveGroup = (group: string): string => `${group}.${suffix}`;
let destination = '';
const crds = new Set<string>();

/** The objects that can live in a cluster as their fixture says: custom kinds (and core ConfigMaps), no server-set metadata. */
const live = customHealthExpectations
  .map(([file, status, mentions]) => ({ file, status, mentions, obj: loadCustomObject(file) }))
  .filter(({ obj }) => {
    const group = groupOf(obj.apiVersion);
    const serverSet = obj.metadata.generation !== undefined || obj.metadata.deletionTimestamp !== undefined;
    return !serverSet && ((group === '' && obj.kind === 'ConfigMap') || (group.includes('.') && group !== 'apps'));
  });

function liveApiVersion(obj: KubeObject): string {
  const group = groupOf(obj.apiVersion);
  return group === '' ? obj.apiVersion : `${liveGroup(group)}/${obj.apiVersion.slice(group.length + 1)}`;
}

/** capstan-config from the checks tree: exact kinds as split keys, wildcard directories in the legacy key. */
function configData(): Record<string, string> {
  const data: Record<string, string> = {};
  const legacy: Record<string, Record<string, unknown>> = {};
  for (const file of customCheckFiles()) {
    const [group = '', kind = ''] = file.split('/');
    const source = readFileSync(join(customChecksDir, file), 'utf8');
    if (group === '_' && !kind.includes('_')) {
      data[`resource.customizations.health.${kind}`] = source;
      data[`resource.customizations.useOpenLibs.${kind}`] = 'true';
    }
    if (file.includes('_')) {
      const pattern = `${group === '_' ? '*' : liveGroup(group.replaceAll('_', '*'))}/${kind.replaceAll('_', '*')}`;
      legacy[pattern] = { 'health.lua': source, 'health.lua.useOpenLibs': true };
    } else if (group !== 'apps') {
      data[`resource.customizations.health.${liveGroup(group)}_${kind}`] = source;
      data[`resource.customizations.useOpenLibs.${liveGroup(group)}_${kind}`] = 'true';
    }
  }
  data['resource.customizations'] = dump(legacy);
  return data;
}

async function installCrd(obj: KubeObject): Promise<void> {
  const group = liveGroup(groupOf(obj.apiVersion));
  const plural = `${obj.kind.toLowerCase()}s`;
  const name = `${plural}.${group}`;
  if (crds.has(name)) return;
  crds.add(name);
  const anything = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  kubectlApply({
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name },
    spec: {
      group, scope: 'Namespaced', names: { plural, singular: obj.kind.toLowerCase(), kind: obj.kind, listKind: `${obj.kind}List` },
      versions: [{
        name: obj.apiVersion.split('/')[1] ?? 'v1', served: true, storage: true, subresources: { status: {} },
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: anything, status: anything, data: anything } } },
      }],
    },
  });
  await waitForCrdsEstablished(name);
}

/** The object as Git declares it: the test's group, no namespace (the app's destination), no status. */
function manifest(obj: KubeObject): Record<string, unknown> {
  const { status: _status, ...rest } = obj;
  const { namespace: _namespace, ...metadata } = obj.metadata;
  return { ...rest, apiVersion: liveApiVersion(obj), metadata };
}

beforeAll(async () => {
  await s.setUp();
  destination = s.destination('luachecks-objects');
  for (const { obj } of live) if (groupOf(obj.apiVersion) !== '') await installCrd(obj);
  kubectlApply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'capstan-config', namespace: s.namespace }, data: configData() });
});
afterAll(async () => {
  await s.tearDown();
  const ext = s.kc.makeApiClient(ApiextensionsV1Api);
  for (const name of crds) await ext.deleteCustomResourceDefinition({ name }).catch(() => undefined);
});

const healthOf = (app: Application, obj: KubeObject) => app.status?.resources?.find((r) => r.kind === obj.kind && r.name === obj.metadata.name)?.health;

describe("the project's Lua health checks, live", () => {
  it('assesses each synced object by its script as the offline check does', async () => {
    expect(live.length).toBeGreaterThanOrEqual(30);
    expect(new Set(live.map(({ obj }) => obj.kind)).size).toBeGreaterThanOrEqual(10);
    live.forEach(({ file, obj }) => { s.repo.write(`objects/${file}`, JSON.stringify(manifest(obj))); });
    s.repo.commit('objects with custom health checks');
    await s.apps.create('objects', { repoURL: s.repo.url, path: 'objects', destinationNamespace: destination });
    await s.apps.waitFor('objects', 'Synced', (a) => a.status?.sync?.status === 'Synced', 120_000);

    for (const { obj } of live) {
      if (obj['status'] === undefined) continue;
      kubectl('-n', destination, 'patch', `${obj.kind.toLowerCase()}s.${liveGroup(groupOf(obj.apiVersion))}`, obj.metadata.name ?? '',
        '--subresource=status', '--type', 'merge', '-p', JSON.stringify({ status: obj['status'] }));
    }
    const expected = (app: Application) => live.every(({ obj, status, mentions }) => {
      const h = healthOf(app, obj);
      return (status === null ? h?.status === 'Healthy' && h.message === undefined : h?.status === status) && (mentions === undefined || (h?.message ?? '').includes(mentions));
    });
    const app = await s.apps.waitFor('objects', 'every object assessed by its script', expected, 120_000);
    // One line per object, so a failure names what differs.
    expect(live.map(({ file, obj }) => [file, healthOf(app, obj)?.status])).toEqual(live.map(({ file, status }) => [file, status ?? 'Healthy']));
  });
});
