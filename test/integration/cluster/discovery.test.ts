// Discovery forgets what it learnt: a cached group-version expires after its TTL, and forget()
// drops one at once, so a version a CRD stopped serving is no longer resolved. An apiVersion from
// Git that is not one by its syntax never becomes a request; the cache is bounded.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Discovery, InvalidPathSegmentError, resourcePath } from '../../../src/cluster/discovery.js';
import { KubeHttp } from '../../../src/cluster/http.js';
import { kubectl, kubectlApply, waitForCrdsEstablished } from '../support/capstan.js';
import { eventually, testKubeConfig, uniqueName } from '../support/kube.js';

const group = `${uniqueName('disc')}.capstan.test`;
const crdName = `gadgets.${group}`;
const schema = { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } };

function crd(alphaServed: boolean): unknown {
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
    metadata: { name: crdName },
    spec: {
      group, scope: 'Namespaced',
      names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList' },
      versions: [
        { name: 'v1alpha1', served: alphaServed, storage: false, schema },
        { name: 'v1', served: true, storage: true, schema },
      ],
    },
  };
}

function served(path: string): boolean {
  try {
    kubectl('get', '--raw', path);
    return true;
  } catch {
    return false;
  }
}

describe('Discovery', () => {
  const http = new KubeHttp(testKubeConfig());
  const alpha = `${group}/v1alpha1`;
  let now = 1_000_000;
  const expiring = new Discovery(http, { now: () => now });
  const forgetting = new Discovery(http, { now: () => now });

  beforeAll(async () => {
    kubectlApply(crd(true));
    await waitForCrdsEstablished(crdName);
    await eventually(`${alpha} to be served`, () => Promise.resolve(served(`/apis/${alpha}`) ? true : undefined));
    // Both learn the kind while it is served ...
    expect((await expiring.resolve(alpha, 'Gadget'))?.plural).toBe('gadgets');
    expect((await forgetting.resolve(alpha, 'Gadget'))?.plural).toBe('gadgets');
    // ... then the CRD stops serving that version.
    kubectlApply(crd(false));
    await eventually(`${alpha} to be no longer served`, () => Promise.resolve(served(`/apis/${alpha}`) ? undefined : true));
  });

  afterAll(() => {
    kubectl('delete', 'crd', crdName, '--wait=false');
    http.close();
  });

  it('trusts a cached group-version until its TTL (10 min), then reads it again', async () => {
    now += 60_000;
    expect(await expiring.resolve(alpha, 'Gadget')).toBeDefined();
    now += 9 * 60_000;
    expect(await expiring.resolve(alpha, 'Gadget')).toBeUndefined();
    expect((await expiring.resolve(`${group}/v1`, 'Gadget'))?.version).toBe('v1');
  });

  it('drops one group-version on forget(), and only that one', async () => {
    await forgetting.resolve(`${group}/v1`, 'Gadget');
    forgetting.forget(alpha);
    expect(await forgetting.resolve(alpha, 'Gadget')).toBeUndefined();
    expect((await forgetting.resolve(`${group}/v1`, 'Gadget'))?.version).toBe('v1');
  });

  it('sends no request for an apiVersion that is a path or a query in disguise', async () => {
    let requests = 0;
    const counted = new KubeHttp(testKubeConfig(), () => { requests++; });
    const discovery = new Discovery(counted);
    try {
      const hostile = ['x/../../api/v1/secrets', 'x/../../api/v1/namespaces/kube-system/secrets?watch=true&', '../v1', 'v1/../..', 'apps/v1?x=1', 'apps/v1#x', 'Apps/v1', 'apps/', '/v1', 'apps/v1/x', `${'a'.repeat(300)}/v1`];
      for (const apiVersion of hostile) expect(await discovery.resolve(apiVersion, 'Secret')).toBeUndefined();
      expect(requests).toBe(0);
      expect((await discovery.resolve('apps/v1', 'Deployment'))?.plural).toBe('deployments');
      expect(requests).toBe(1);
    } finally {
      counted.close();
    }
  });

  it('remembers at most maxEntries group-versions, the least recently used forgotten first', async () => {
    let requests = 0;
    const counted = new KubeHttp(testKubeConfig(), () => { requests++; });
    const discovery = new Discovery(counted, { maxEntries: 2 });
    try {
      await discovery.resolve('v1', 'ConfigMap');
      await discovery.resolve('apps/v1', 'Deployment');
      await discovery.resolve('v1', 'ConfigMap'); // v1 is now the most recently used
      await discovery.resolve('batch/v1', 'Job'); // apps/v1 goes
      expect(requests).toBe(3);
      await discovery.resolve('v1', 'ConfigMap');
      expect(requests).toBe(3);
      await discovery.resolve('apps/v1', 'Deployment');
      expect(requests).toBe(4);
    } finally {
      counted.close();
    }
  });

  it('never builds an object URL whose name or namespace is a dot segment', () => {
    const info = { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true, verbs: [] };
    expect(() => resourcePath(info, 'team-a', '..')).toThrow(InvalidPathSegmentError);
    expect(() => resourcePath(info, 'team-a', '.')).toThrow(InvalidPathSegmentError);
    expect(() => resourcePath(info, '..', 'x')).toThrow(InvalidPathSegmentError);
    expect(resourcePath(info, 'team-a', 'a/b')).toBe('/api/v1/namespaces/team-a/configmaps/a%2Fb');
  });
});
