import { describe, expect, it } from '@jest/globals';
import { managedByLabel, trackingIdAnnotation } from '../api/annotations.js';
import type { KubeObject } from '../api/object.js';
import { desiredRespectingIgnored, type IgnoredFields } from './respect-ignored.js';

interface Shape {
  replicas?: number;
  image?: string;
  annotations?: Record<string, string>;
  initContainers?: string[];
  managedFields?: NonNullable<KubeObject['metadata']['managedFields']>;
}

function deployment(shape: Shape): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'shop',
      labels: { [managedByLabel]: 'capstan' },
      annotations: { [trackingIdAnnotation]: 'capstan/shop:apps/Deployment:shop/web', ...(shape.annotations ?? {}) },
      ...(shape.managedFields !== undefined ? { managedFields: shape.managedFields } : {}),
    },
    spec: {
      ...(shape.replicas !== undefined ? { replicas: shape.replicas } : {}),
      template: {
        spec: {
          ...(shape.initContainers !== undefined ? { initContainers: shape.initContainers.map((name) => ({ name, image: name })) } : {}),
          containers: [{ name: 'web', image: shape.image ?? 'nginx:1' }],
        },
      },
    },
  };
}

const pointers = (...list: string[]): IgnoredFields => ({ desired: list, live: list, managers: [] });
const spec = (obj: KubeObject): Record<string, unknown> => obj['spec'] as Record<string, unknown>;
const podSpec = (obj: KubeObject) => (spec(obj)['template'] as { spec: Record<string, unknown> }).spec;

describe('desiredRespectingIgnored', () => {
  it('applies the live value of an ignored field that Git and the cluster both set, and Git\'s values elsewhere', () => {
    const desired = deployment({ replicas: 1, image: 'nginx:2' });
    const live = deployment({ replicas: 5, image: 'nginx:1' });
    const respected = desiredRespectingIgnored(desired, live, pointers('/spec/replicas'));
    expect(spec(respected)['replicas']).toBe(5);
    expect(podSpec(respected)['containers']).toEqual([{ name: 'web', image: 'nginx:2' }]);
  });

  it('applies Git\'s values when the object does not exist yet', () => {
    const desired = deployment({ replicas: 1 });
    expect(desiredRespectingIgnored(desired, undefined, pointers('/spec/replicas'))).toBe(desired);
  });

  it('leaves out an ignored field that Git sets and the cluster does not have', () => {
    const desired = deployment({ annotations: { 'example.com/owner': 'git' } });
    const respected = desiredRespectingIgnored(desired, deployment({}), pointers('/metadata/annotations/example.com~1owner'));
    expect(respected.metadata.annotations).toEqual({ [trackingIdAnnotation]: 'capstan/shop:apps/Deployment:shop/web' });
  });

  it('leaves out an ignored field only the cluster has, set by another manager: server-side apply leaves it to that manager', () => {
    const scaledByKubectl = [{ manager: 'kubectl', operation: 'Update', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }];
    const respected = desiredRespectingIgnored(deployment({}), deployment({ replicas: 3, managedFields: scaledByKubectl }), pointers('/spec/replicas'));
    expect(spec(respected)).not.toHaveProperty('replicas');
  });

  it('adds an ignored field only the cluster has where leaving it out would remove it: Capstan owns it, or the object is replaced', () => {
    const setByCapstan = [{ manager: 'capstan', operation: 'Apply', fieldsV1: { 'f:metadata': { 'f:annotations': { 'f:note': {} } } } }];
    const live = deployment({ annotations: { note: 'kept' }, managedFields: setByCapstan });
    expect(desiredRespectingIgnored(deployment({}), live, pointers('/metadata/annotations/note')).metadata.annotations).toHaveProperty('note', 'kept');

    const scaled = deployment({ replicas: 3 });
    expect(spec(desiredRespectingIgnored(deployment({}), scaled, pointers('/spec/replicas'), { replace: true }))['replicas']).toBe(3);
  });

  it('adds list elements only the cluster has at the end of the list, creating the list as live has it', () => {
    const live = deployment({ initContainers: ['setup', 'injected'] });
    const selected: IgnoredFields = { desired: [], live: ['/spec/template/spec/initContainers/0', '/spec/template/spec/initContainers/1'], managers: [] };
    expect(podSpec(desiredRespectingIgnored(deployment({}), live, selected, { replace: true }))['initContainers'])
      .toEqual([{ name: 'setup', image: 'setup' }, { name: 'injected', image: 'injected' }]);
    // Position 1 holds another element in Git: the live one is not put in its place.
    const inside: IgnoredFields = { desired: [], live: ['/spec/template/spec/initContainers/1'], managers: [] };
    expect(podSpec(desiredRespectingIgnored(deployment({ initContainers: ['setup', 'mine', 'other'] }), live, inside, { replace: true }))['initContainers'])
      .toEqual([{ name: 'setup', image: 'setup' }, { name: 'mine', image: 'mine' }, { name: 'other', image: 'other' }]);
  });

  it('takes list elements a jq expression selected in both objects from live, and leaves out those it selected in Git only', () => {
    const desired = deployment({ initContainers: ['setup', 'injected', 'mesh'] });
    const live = deployment({ initContainers: ['setup', 'mesh', 'injected'] });
    live.metadata.annotations = { ...live.metadata.annotations, note: 'live' };
    // `.spec.template.spec.initContainers[] | select(.name != "setup")` selects /1 and /2 in both, `.metadata.annotations.note` only in live.
    const ignored: IgnoredFields = {
      desired: ['/spec/template/spec/initContainers/1', '/spec/template/spec/initContainers/2'],
      live: ['/spec/template/spec/initContainers/1', '/spec/template/spec/initContainers/2', '/metadata/annotations/note'],
      managers: [],
    };
    const respected = desiredRespectingIgnored(desired, live, ignored);
    expect(podSpec(respected)['initContainers']).toEqual([{ name: 'setup', image: 'setup' }, { name: 'mesh', image: 'mesh' }, { name: 'injected', image: 'injected' }]);
    expect(respected.metadata.annotations).not.toHaveProperty('note');

    const onlyInGit: IgnoredFields = { desired: ['/spec/template/spec/initContainers/1'], live: ['/spec/template/spec/initContainers/2'], managers: [] };
    expect(podSpec(desiredRespectingIgnored(desired, live, onlyInGit))['initContainers'])
      .toEqual([{ name: 'setup', image: 'setup' }, { name: 'mesh', image: 'mesh' }]);
  });

  it('takes a whole ignored map from live, but keeps Capstan\'s tracking label and annotation as prepared', () => {
    const desired = deployment({ annotations: { a: 'git' } });
    const live = deployment({ annotations: { a: 'live', b: 'live' } });
    live.metadata.annotations = { a: 'live', b: 'live' };
    live.metadata.labels = { team: 'x' };
    const respected = desiredRespectingIgnored(desired, live, pointers('/metadata/annotations', '/metadata/labels'));
    expect(respected.metadata.annotations).toEqual({ a: 'live', b: 'live', [trackingIdAnnotation]: 'capstan/shop:apps/Deployment:shop/web' });
    expect(respected.metadata.labels).toEqual({ team: 'x', [managedByLabel]: 'capstan' });
  });

  it('never takes status, managedFields or the object\'s name from live', () => {
    const desired: KubeObject = { ...deployment({}), status: { replicas: 1 } };
    const live: KubeObject = { ...deployment({ managedFields: [{ manager: 'kubectl', operation: 'Update' }] }), status: { replicas: 9 } };
    live.metadata.name = 'other';
    const respected = desiredRespectingIgnored(desired, live, pointers('/status', '/metadata/name', '/metadata/managedFields', ''));
    expect(respected['status']).toEqual({ replicas: 1 });
    expect(respected.metadata.name).toBe('web');
    expect(respected.metadata).not.toHaveProperty('managedFields');
  });

  it('applies the live value of a field a managedFieldsManagers entry owns, values only', () => {
    const hpaOwnsReplicas = [{ manager: 'hpa', operation: 'Update', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }];
    const desired = deployment({ replicas: 1, image: 'nginx:2' });
    const live = deployment({ replicas: 4, image: 'nginx:1', managedFields: hpaOwnsReplicas });
    const respected = desiredRespectingIgnored(desired, live, { desired: [], live: [], managers: ['hpa'] });
    expect(spec(respected)['replicas']).toBe(4);
    expect(podSpec(respected)['containers']).toEqual([{ name: 'web', image: 'nginx:2' }]);

    // A list whose length differs is Git's, even where the manager owns something in it.
    const vpaOwnsInit = [{ manager: 'vpa', operation: 'Update', fieldsV1: { 'f:spec': { 'f:template': { 'f:spec': { 'f:initContainers': { 'k:{"name":"setup"}': { 'f:image': {} } } } } } } }];
    const longer = deployment({ initContainers: ['setup', 'new'] });
    const respectedList = desiredRespectingIgnored(longer, deployment({ initContainers: ['setup'], managedFields: vpaOwnsInit }), { desired: [], live: [], managers: ['vpa'] });
    expect(podSpec(respectedList)['initContainers']).toEqual([{ name: 'setup', image: 'setup' }, { name: 'new', image: 'new' }]);
  });

  it('leaves the desired object as it was', () => {
    const desired = deployment({ replicas: 1 });
    const before = structuredClone(desired);
    desiredRespectingIgnored(desired, deployment({ replicas: 3 }), pointers('/spec/replicas'));
    expect(desired).toEqual(before);
    expect(desiredRespectingIgnored(desired, deployment({ replicas: 3 }), { desired: [], live: [], managers: [] })).toBe(desired);
  });
});
