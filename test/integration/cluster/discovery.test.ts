// Discovery forgets what it learnt: a cached group-version expires after its TTL, and forget()
// drops one at once, so a version a CRD stopped serving is no longer resolved.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Discovery } from '../../../src/cluster/discovery.js';
import { KubeHttp } from '../../../src/cluster/http.js';
import { kubectl, kubectlApply } from '../support/capstan.js';
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
    kubectl('wait', '--for=condition=Established', '--timeout=60s', `crd/${crdName}`);
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
});
