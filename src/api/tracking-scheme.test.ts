import { describe, expect, it } from '@jest/globals';
import type { Application } from './application.js';
import type { KubeObject } from './object.js';
import { capstanTracking, isTrackedAsItself, isTrackedBy } from './tracking-scheme.js';

const app = { namespace: 'capstan', name: 'web' };
const application: Application = { apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: 'web', namespace: 'capstan' }, spec: { source: { repoURL: 'https://git.example/r.git' }, destination: { namespace: 'prod' } } };
const configMap = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'prod' } });

describe('capstanTracking', () => {
  it('stamps the managed-by label and the tracking id, and reads them back', () => {
    const obj = configMap('settings');
    const id = capstanTracking.stamp(obj, application, { group: '', kind: 'ConfigMap', namespace: 'prod', name: 'settings' });
    expect(id).toBe('capstan/web:/ConfigMap:prod/settings');
    expect(obj.metadata.labels).toEqual({ 'app.capstan.dev/managed-by': 'capstan' });
    expect(obj.metadata.annotations).toEqual({ 'capstan.dev/tracking-id': id });
    expect(capstanTracking.selector).toBe('app.capstan.dev/managed-by=capstan');
    expect(capstanTracking.trackedAs(obj)).toEqual({ app, key: { group: '', kind: 'ConfigMap', namespace: 'prod', name: 'settings' } });
    expect(isTrackedBy(capstanTracking, obj, app)).toBe(true);
    expect(isTrackedBy(capstanTracking, obj, { namespace: 'capstan', name: 'other' })).toBe(false);
    expect(isTrackedAsItself(capstanTracking, obj, app)).toBe(true);
  });

  it('a copy of another object\'s marks is the app\'s, but not as itself', () => {
    const original = configMap('settings');
    capstanTracking.stamp(original, application, { group: '', kind: 'ConfigMap', namespace: 'prod', name: 'settings' });
    const copy = { ...configMap('copy'), metadata: { ...original.metadata, name: 'copy' } };
    expect(isTrackedBy(capstanTracking, copy, app)).toBe(true);
    expect(isTrackedAsItself(capstanTracking, copy, app)).toBe(false);
  });

  it('copies the marks it sets, and nothing else', () => {
    const from = configMap('settings');
    capstanTracking.stamp(from, application, { group: '', kind: 'ConfigMap', namespace: 'prod', name: 'settings' });
    const to: KubeObject = { ...configMap('settings'), metadata: { name: 'settings', labels: { team: 'a', 'app.capstan.dev/managed-by': 'x' }, annotations: { note: 'n' } } };
    capstanTracking.copyTracking(from, to);
    expect(to.metadata.labels).toEqual({ team: 'a', 'app.capstan.dev/managed-by': 'capstan' });
    expect(to.metadata.annotations).toEqual({ note: 'n', 'capstan.dev/tracking-id': 'capstan/web:/ConfigMap:prod/settings' });
  });

  it('takes its marks off a kept object, guarded by the tracking id', () => {
    const obj = configMap('settings');
    const id = capstanTracking.stamp(obj, application, { group: '', kind: 'ConfigMap', namespace: 'prod', name: 'settings' });
    expect(capstanTracking.untrackOps(obj)).toEqual([
      { op: 'test', path: '/metadata/annotations/capstan.dev~1tracking-id', value: id },
      { op: 'remove', path: '/metadata/annotations/capstan.dev~1tracking-id' },
      { op: 'remove', path: '/metadata/labels/app.capstan.dev~1managed-by' },
    ]);
  });

  it('reads no owner from an object without marks or with a malformed id', () => {
    expect(capstanTracking.trackedAs(configMap('x'))).toBeUndefined();
    expect(capstanTracking.trackedAs({ ...configMap('x'), metadata: { name: 'x', annotations: { 'capstan.dev/tracking-id': 'nonsense' } } })).toBeUndefined();
  });
});
