import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../api/object.js';
import {
  appOfInstanceName,
  argoInstallationIdAnnotation,
  argoTrackingIdAnnotation,
  argoTrackingMetadata,
  defaultInstanceLabelKey,
  formatArgoTrackingId,
  instanceNameOf,
  isArgoRoot,
  ownerOf,
  parseArgoTrackingId,
  readArgoTracking,
  argoTrackingIdFor,
  trackingMethods,
  truncateLabelValue,
  withArgoTracking,
  type TrackingConfig,
  type TrackingMetadataOptions,
  type TrackingMethod,
} from './tracking.js';

const controlPlane = 'argocd';
const config = (method: TrackingMethod, extra: Partial<TrackingConfig> = {}): TrackingConfig =>
  ({ method, instanceLabelKey: defaultInstanceLabelKey, installationId: '', controlPlaneNamespace: controlPlane, ...extra });
const metadataOptions = (method: TrackingMethod, extra: Partial<TrackingMetadataOptions> = {}): TrackingMetadataOptions =>
  ({ ...config(method), destinationNamespace: 'prod', ...extra });

function object(apiVersion: string, kind: string, namespace: string | undefined, name: string, meta: Partial<KubeObject['metadata']> = {}): KubeObject {
  return { apiVersion, kind, metadata: { name, ...(namespace === undefined ? {} : { namespace }), ...meta } };
}
const annotated = (obj: KubeObject, id: string, extra: Record<string, string> = {}): KubeObject =>
  ({ ...obj, metadata: { ...obj.metadata, annotations: { [argoTrackingIdAnnotation]: id, ...extra } } });
const labelled = (obj: KubeObject, labels: Record<string, string>): KubeObject => ({ ...obj, metadata: { ...obj.metadata, labels } });

const deployment = object('apps/v1', 'Deployment', 'prod', 'web');
const guestbook = { namespace: controlPlane, name: 'guestbook' };

describe('instance names', () => {
  it('is the bare name for an app in the control-plane namespace (or with none), <namespace>_<name> elsewhere', () => {
    expect(instanceNameOf(guestbook, controlPlane)).toBe('guestbook');
    expect(instanceNameOf({ namespace: '', name: 'guestbook' }, controlPlane)).toBe('guestbook');
    expect(instanceNameOf({ namespace: 'team-a', name: 'guestbook' }, controlPlane)).toBe('team-a_guestbook');
  });

  it('reads a bare name as an app of the control-plane namespace and splits <namespace>_<name> at the first _', () => {
    expect(appOfInstanceName('guestbook', controlPlane)).toEqual(guestbook);
    expect(appOfInstanceName('team-a_guestbook', controlPlane)).toEqual({ namespace: 'team-a', name: 'guestbook' });
    expect(appOfInstanceName('a_b_c', controlPlane)).toEqual({ namespace: 'a', name: 'b_c' });
  });

  it('refuses empty parts', () => {
    for (const text of ['', '_guestbook', 'team-a_']) expect(appOfInstanceName(text, controlPlane)).toBeUndefined();
  });

  it('round-trips', () => {
    for (const app of [guestbook, { namespace: 'team-a', name: 'web' }]) {
      expect(appOfInstanceName(instanceNameOf(app, controlPlane), controlPlane)).toEqual(app);
    }
  });
});

describe('tracking ids', () => {
  it('formats <instance>:<group>/<kind>:<namespace>/<name>, the core group and a cluster-scoped namespace empty', () => {
    expect(formatArgoTrackingId({ instance: 'guestbook', key: { group: 'apps', kind: 'Deployment', namespace: 'prod', name: 'web' } }))
      .toBe('guestbook:apps/Deployment:prod/web');
    expect(formatArgoTrackingId({ instance: 'guestbook', key: { group: '', kind: 'ConfigMap', namespace: 'prod', name: 'cfg' } }))
      .toBe('guestbook:/ConfigMap:prod/cfg');
    expect(formatArgoTrackingId({ instance: 'guestbook', key: { group: '', kind: 'Namespace', namespace: '', name: 'prod' } }))
      .toBe('guestbook:/Namespace:/prod');
  });

  it('gives an object its own namespace and a cluster-scoped object the app\'s destination namespace', () => {
    const options = { controlPlaneNamespace: controlPlane, destinationNamespace: 'prod' };
    expect(argoTrackingIdFor(deployment, guestbook, options)).toBe('guestbook:apps/Deployment:prod/web');
    expect(argoTrackingIdFor(object('v1', 'Service', 'other', 'svc'), guestbook, options)).toBe('guestbook:/Service:other/svc');
    const role = object('rbac.authorization.k8s.io/v1', 'ClusterRole', undefined, 'reader');
    expect(argoTrackingIdFor(role, guestbook, options)).toBe('guestbook:rbac.authorization.k8s.io/ClusterRole:prod/reader');
    expect(argoTrackingIdFor(role, guestbook, { ...options, destinationNamespace: '' })).toBe('guestbook:rbac.authorization.k8s.io/ClusterRole:/reader');
  });

  it('starts with <namespace>_<name> for an app outside the control-plane namespace', () => {
    const options = { controlPlaneNamespace: controlPlane, destinationNamespace: 'prod' };
    expect(argoTrackingIdFor(deployment, { namespace: 'team-a', name: 'web' }, options)).toBe('team-a_web:apps/Deployment:prod/web');
  });

  it('parses what it formats, the core group and cluster-scoped objects included', () => {
    for (const text of ['guestbook:apps/Deployment:prod/web', 'guestbook:/ConfigMap:prod/cfg', 'team-a_web:/Namespace:/prod']) {
      const id = parseArgoTrackingId(text);
      expect(id).toBeDefined();
      if (id !== undefined) expect(formatArgoTrackingId(id)).toBe(text);
    }
    expect(parseArgoTrackingId('team-a_web:/Namespace:/prod')).toEqual({ instance: 'team-a_web', key: { group: '', kind: 'Namespace', namespace: '', name: 'prod' } });
  });

  it('keeps the colons of an object name (system: ClusterRoles) in the name', () => {
    expect(parseArgoTrackingId('guestbook:rbac.authorization.k8s.io/ClusterRole:/system:controller:x')?.key)
      .toEqual({ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', namespace: '', name: 'system:controller:x' });
  });

  it('refuses malformed ids', () => {
    for (const text of [
      '', 'guestbook', 'guestbook:apps/Deployment', 'guestbook:apps/Deployment/prod/web', ':apps/Deployment:prod/web',
      'guestbook:Deployment:prod/web', 'guestbook:apps/v1/Deployment:prod/web', 'guestbook:apps/Deployment:web',
      'guestbook:apps/Deployment:prod/web/extra',
    ]) {
      expect(parseArgoTrackingId(text)).toBeUndefined();
    }
  });
});

describe('ownerOf and readArgoTracking under annotation tracking', () => {
  const tracking = config('annotation');

  it('owns an object whose tracking id names it', () => {
    expect(ownerOf(annotated(deployment, 'guestbook:apps/Deployment:prod/web'), tracking)).toEqual(guestbook);
  });

  it('owns an object of an app in another namespace by <namespace>_<name>', () => {
    expect(ownerOf(annotated(deployment, 'team-a_web:apps/Deployment:prod/web'), tracking)).toEqual({ namespace: 'team-a', name: 'web' });
  });

  it('does not own an object carrying a copied annotation (another name, namespace, group or kind), but says which app it names', () => {
    const copies = [
      annotated(object('apps/v1', 'Deployment', 'prod', 'web-copy'), 'guestbook:apps/Deployment:prod/web'),
      annotated(object('apps/v1', 'Deployment', 'staging', 'web'), 'guestbook:apps/Deployment:prod/web'),
      annotated(deployment, 'guestbook:extensions/Deployment:prod/web'),
      annotated(object('apps/v1', 'StatefulSet', 'prod', 'web'), 'guestbook:apps/Deployment:prod/web'),
    ];
    for (const copy of copies) {
      expect(ownerOf(copy, tracking)).toBeUndefined();
      expect(readArgoTracking(copy, tracking)).toMatchObject({ app: guestbook, refersToObject: false });
    }
  });

  it('owns a cluster-scoped object whatever destination namespace its id holds', () => {
    const role = object('rbac.authorization.k8s.io/v1', 'ClusterRole', undefined, 'reader');
    expect(ownerOf(annotated(role, 'guestbook:rbac.authorization.k8s.io/ClusterRole:prod/reader'), tracking)).toEqual(guestbook);
    expect(ownerOf(annotated(role, 'guestbook:rbac.authorization.k8s.io/ClusterRole:/reader'), tracking)).toEqual(guestbook);
    expect(ownerOf(annotated(role, 'guestbook:rbac.authorization.k8s.io/ClusterRole:/other'), tracking)).toBeUndefined();
  });

  it('owns core-group objects by an empty group', () => {
    const configMap = object('v1', 'ConfigMap', 'prod', 'cfg');
    expect(ownerOf(annotated(configMap, 'guestbook:/ConfigMap:prod/cfg'), tracking)).toEqual(guestbook);
    expect(ownerOf(annotated(configMap, 'guestbook:v1/ConfigMap:prod/cfg'), tracking)).toBeUndefined();
  });

  it('ignores the instance label, a missing annotation and a malformed one', () => {
    expect(ownerOf(labelled(deployment, { [defaultInstanceLabelKey]: 'guestbook' }), tracking)).toBeUndefined();
    expect(ownerOf(deployment, tracking)).toBeUndefined();
    expect(ownerOf(annotated(deployment, 'guestbook'), tracking)).toBeUndefined();
    expect(readArgoTracking(annotated(deployment, 'guestbook:apps/Deployment'), tracking)).toBeUndefined();
  });

  it('with an installation id, owns only objects carrying the same one', () => {
    const withId = config('annotation', { installationId: 'blue' });
    const id = 'guestbook:apps/Deployment:prod/web';
    expect(ownerOf(annotated(deployment, id, { [argoInstallationIdAnnotation]: 'blue' }), withId)).toEqual(guestbook);
    expect(ownerOf(annotated(deployment, id, { [argoInstallationIdAnnotation]: 'green' }), withId)).toBeUndefined();
    expect(ownerOf(annotated(deployment, id), withId)).toBeUndefined();
    // Without one configured, the annotation is not looked at, as in Argo CD.
    expect(ownerOf(annotated(deployment, id, { [argoInstallationIdAnnotation]: 'green' }), tracking)).toEqual(guestbook);
  });
});

describe('ownerOf under label and annotation+label tracking', () => {
  it('label: the instance label names the app; the annotation is not read', () => {
    const tracking = config('label');
    expect(ownerOf(labelled(deployment, { [defaultInstanceLabelKey]: 'guestbook' }), tracking)).toEqual(guestbook);
    expect(ownerOf(labelled(deployment, { [defaultInstanceLabelKey]: 'team-a_web' }), tracking)).toEqual({ namespace: 'team-a', name: 'web' });
    expect(ownerOf(annotated(deployment, 'guestbook:apps/Deployment:prod/web'), tracking)).toBeUndefined();
    expect(ownerOf(labelled(deployment, { [defaultInstanceLabelKey]: '' }), tracking)).toBeUndefined();
  });

  it('label: reads the configured instanceLabelKey, and ignores the installation id', () => {
    const tracking = config('label', { instanceLabelKey: 'example.com/app', installationId: 'blue' });
    expect(ownerOf(labelled(deployment, { 'example.com/app': 'guestbook' }), tracking)).toEqual(guestbook);
    expect(ownerOf(labelled(deployment, { [defaultInstanceLabelKey]: 'guestbook' }), tracking)).toBeUndefined();
  });

  it('label: has nothing to check a copy against, so a copied label owns', () => {
    const copy = labelled(object('apps/v1', 'Deployment', 'prod', 'other'), { [defaultInstanceLabelKey]: 'guestbook' });
    expect(readArgoTracking(copy, config('label'))).toEqual({ app: guestbook, instance: 'guestbook', refersToObject: true });
  });

  it('annotation+label: the annotation decides; the label alone does not own', () => {
    const tracking = config('annotation+label');
    const both = labelled(annotated(deployment, 'guestbook:apps/Deployment:prod/web'), { [defaultInstanceLabelKey]: 'other-app' });
    expect(ownerOf(both, tracking)).toEqual(guestbook);
    expect(ownerOf(labelled(deployment, { [defaultInstanceLabelKey]: 'guestbook' }), tracking)).toBeUndefined();
    expect(ownerOf(annotated(object('apps/v1', 'Deployment', 'prod', 'copy'), 'guestbook:apps/Deployment:prod/web'), tracking)).toBeUndefined();
  });
});

describe('ownerOf: only objects without an owner', () => {
  const tracking = config('label');
  const inherited = { [defaultInstanceLabelKey]: 'guestbook' };

  it('does not count an object with ownerReferences (a ReplicaSet with a Deployment\'s template labels)', () => {
    const replicaSet = object('apps/v1', 'ReplicaSet', 'prod', 'web-5d9c', {
      labels: inherited,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'u1' }],
    });
    expect(readArgoTracking(replicaSet, tracking)?.app).toEqual(guestbook);
    expect(ownerOf(replicaSet, tracking)).toBeUndefined();
    expect(ownerOf(labelled(object('apps/v1', 'ReplicaSet', 'prod', 'web-5d9c', { ownerReferences: [] }), inherited), tracking)).toEqual(guestbook);
  });

  it('does not count objects Argo CD infers an owner for', () => {
    expect(isArgoRoot(object('v1', 'Endpoints', 'prod', 'web'))).toBe(false);
    expect(isArgoRoot(object('operators.coreos.com/v1alpha1', 'ClusterServiceVersion', 'ops', 'csv', { annotations: { 'olm.operatorGroup': 'og' } }))).toBe(false);
    expect(isArgoRoot(object('operators.coreos.com/v1alpha1', 'ClusterServiceVersion', 'ops', 'csv'))).toBe(true);
    const token = (annotations: Record<string, string>): KubeObject =>
      ({ ...object('v1', 'Secret', 'prod', 'tok', { annotations }), type: 'kubernetes.io/service-account-token' });
    expect(isArgoRoot(token({ 'kubernetes.io/service-account.name': 'sa', 'kubernetes.io/service-account.uid': 'u2' }))).toBe(false);
    expect(isArgoRoot(token({ 'kubernetes.io/service-account.name': 'sa' }))).toBe(true);
    expect(isArgoRoot(object('v1', 'Secret', 'prod', 'plain', { annotations: { 'kubernetes.io/service-account.name': 'sa', 'kubernetes.io/service-account.uid': 'u2' } }))).toBe(true);
    expect(isArgoRoot(deployment)).toBe(true);
  });
});

describe('truncateLabelValue', () => {
  it('keeps values within 63 characters as they are', () => {
    expect(truncateLabelValue('guestbook')).toBe('guestbook');
    const exactly63 = 'a'.repeat(62) + '-';
    expect(truncateLabelValue(exactly63)).toBe(exactly63);
  });

  it('cuts longer values to 63 characters, then drops trailing characters that are not letters or digits', () => {
    expect(truncateLabelValue('a'.repeat(70))).toBe('a'.repeat(63));
    expect(truncateLabelValue(`${'a'.repeat(60)}-_.b${'c'.repeat(10)}`)).toBe('a'.repeat(60));
    expect(truncateLabelValue(`team_${'x'.repeat(57)}_y`)).toBe(`team_${'x'.repeat(57)}`);
  });

  it('gives up when nothing is left', () => {
    expect(truncateLabelValue('-'.repeat(70))).toBeUndefined();
  });
});

describe('argoTrackingMetadata', () => {
  it('annotation: the tracking id, and no installation id when none is configured', () => {
    expect(argoTrackingMetadata(deployment, guestbook, metadataOptions('annotation'))).toEqual({
      ok: true,
      value: { annotations: { [argoTrackingIdAnnotation]: 'guestbook:apps/Deployment:prod/web' }, labels: {}, removedAnnotations: [argoInstallationIdAnnotation] },
    });
  });

  it('annotation: the installation id when one is configured', () => {
    const result = argoTrackingMetadata(deployment, guestbook, metadataOptions('annotation', { installationId: 'blue' }));
    expect(result).toEqual({
      ok: true,
      value: {
        annotations: { [argoTrackingIdAnnotation]: 'guestbook:apps/Deployment:prod/web', [argoInstallationIdAnnotation]: 'blue' },
        labels: {},
        removedAnnotations: [],
      },
    });
  });

  it('a cluster-scoped object\'s id holds the destination namespace', () => {
    const namespace = object('v1', 'Namespace', undefined, 'prod');
    const result = argoTrackingMetadata(namespace, { namespace: 'team-a', name: 'web' }, metadataOptions('annotation', { destinationNamespace: 'apps' }));
    expect(result.ok && result.value.annotations[argoTrackingIdAnnotation]).toBe('team-a_web:/Namespace:apps/prod');
  });

  it('label: the configured label with the whole instance name', () => {
    expect(argoTrackingMetadata(deployment, { namespace: 'team-a', name: 'web' }, metadataOptions('label', { instanceLabelKey: 'example.com/app' }))).toEqual({
      ok: true,
      value: { annotations: {}, labels: { 'example.com/app': 'team-a_web' }, removedAnnotations: [] },
    });
  });

  it('label: an instance name longer than 63 characters is an error, not shortened', () => {
    const result = argoTrackingMetadata(deployment, { namespace: controlPlane, name: 'x'.repeat(64) }, metadataOptions('label'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain('longer than 63 characters');
  });

  it('annotation+label: both, the label shortened as Argo CD does', () => {
    const app = { namespace: 'team-a', name: `${'x'.repeat(57)}-yyy` };
    const result = argoTrackingMetadata(deployment, app, metadataOptions('annotation+label'));
    expect(result).toEqual({
      ok: true,
      value: {
        annotations: { [argoTrackingIdAnnotation]: `team-a_${app.name}:apps/Deployment:prod/web` },
        labels: { [defaultInstanceLabelKey]: `team-a_${'x'.repeat(56)}` },
        removedAnnotations: [argoInstallationIdAnnotation],
      },
    });
  });

  it('gives a CustomResourceDefinition nothing, in every method', () => {
    const crd = object('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, 'widgets.example.com');
    for (const method of trackingMethods) {
      expect(argoTrackingMetadata(crd, guestbook, metadataOptions(method))).toEqual({ ok: true, value: { annotations: {}, labels: {}, removedAnnotations: [] } });
    }
  });
});

describe('withArgoTracking', () => {
  it('copies the object with the metadata set, keeping other labels and annotations and dropping a stale installation id', () => {
    const input = object('apps/v1', 'Deployment', 'prod', 'web', {
      labels: { tier: 'frontend' },
      annotations: { note: 'kept', [argoInstallationIdAnnotation]: 'old' },
    });
    const before = structuredClone(input);
    const result = withArgoTracking(input, guestbook, metadataOptions('annotation+label'));
    expect(input).toEqual(before);
    expect(result.ok && result.value.metadata).toEqual({
      name: 'web',
      namespace: 'prod',
      labels: { tier: 'frontend', [defaultInstanceLabelKey]: 'guestbook' },
      annotations: { note: 'kept', [argoTrackingIdAnnotation]: 'guestbook:apps/Deployment:prod/web' },
    });
  });

  it('adds no empty label or annotation maps', () => {
    const result = withArgoTracking(deployment, guestbook, metadataOptions('label'));
    expect(result.ok && result.value.metadata).toEqual({ name: 'web', namespace: 'prod', labels: { [defaultInstanceLabelKey]: 'guestbook' } });
  });

  it('marks objects so that Argo CD reads them back as the app\'s, in every method, in and out of the control-plane namespace', () => {
    const objects = [deployment, object('v1', 'ConfigMap', 'prod', 'cfg'), object('rbac.authorization.k8s.io/v1', 'ClusterRole', undefined, 'system:reader')];
    for (const method of trackingMethods) {
      for (const app of [guestbook, { namespace: 'team-a', name: 'web' }]) {
        for (const obj of objects) {
          const result = withArgoTracking(obj, app, metadataOptions(method, { installationId: 'blue' }));
          expect(result.ok).toBe(true);
          if (result.ok) expect(ownerOf(result.value, config(method, { installationId: 'blue' }))).toEqual(app);
        }
      }
    }
  });

  it('passes an error on', () => {
    expect(withArgoTracking(deployment, { namespace: controlPlane, name: 'x'.repeat(70) }, metadataOptions('label')).ok).toBe(false);
  });
});
