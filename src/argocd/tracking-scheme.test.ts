import { describe, expect, it } from '@jest/globals';
import type { Application } from '../api/application.js';
import type { KubeObject } from '../api/object.js';
import { isTrackedAsItself, isTrackedBy } from '../api/tracking-scheme.js';
import { argoTrackingScheme } from './tracking-scheme.js';
import type { TrackingMethod } from './tracking.js';

const scheme = (method: TrackingMethod) => argoTrackingScheme({ method, instanceLabelKey: 'app.kubernetes.io/instance', installationId: '', controlPlaneNamespace: 'argocd' });
const app = (name: string, namespace = 'argocd'): Application => ({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace },
  spec: { source: { repoURL: 'https://git.example/r.git' }, destination: { namespace: 'guestbook' } },
});
const deployment = (extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'guestbook', ...extra } });
const key = { group: 'apps', kind: 'Deployment', namespace: 'guestbook', name: 'web' };

describe('argoTrackingScheme', () => {
  it('annotation tracking: stamps the tracking id Argo CD writes and nothing of Capstan\'s, and recognises it', () => {
    const s = scheme('annotation');
    const obj = deployment({ annotations: { 'argocd.argoproj.io/installation-id': 'old' } });
    const id = s.stamp(obj, app('guestbook'), key);
    expect(id).toBe('guestbook:apps/Deployment:guestbook/web');
    expect(obj.metadata.annotations).toEqual({ 'argocd.argoproj.io/tracking-id': id });
    expect(obj.metadata.labels).toBeUndefined();
    expect(s.selector).toBe('');
    expect(isTrackedAsItself(s, obj, { namespace: 'argocd', name: 'guestbook' })).toBe(true);
  });

  it('an object as Argo CD left it is the app\'s; one with a copied annotation is not itself', () => {
    const s = scheme('annotation');
    const byArgo = deployment({ annotations: { 'argocd.argoproj.io/tracking-id': 'guestbook:apps/Deployment:guestbook/web' } });
    expect(s.trackedAs(byArgo)).toEqual({ app: { namespace: 'argocd', name: 'guestbook' }, key });
    const copied = { ...byArgo, metadata: { ...byArgo.metadata, name: 'web-copy' } };
    expect(isTrackedBy(s, copied, { namespace: 'argocd', name: 'guestbook' })).toBe(true);
    expect(isTrackedAsItself(s, copied, { namespace: 'argocd', name: 'guestbook' })).toBe(false);
  });

  it('apps in other namespaces are tracked as <namespace>_<name>', () => {
    const s = scheme('annotation');
    const obj = deployment();
    expect(s.stamp(obj, app('web', 'team-a'), key)).toBe('team-a_web:apps/Deployment:guestbook/web');
    expect(s.trackedAs(obj)?.app).toEqual({ namespace: 'team-a', name: 'web' });
  });

  it('a cluster-scoped object carries the destination namespace in its id and is still itself', () => {
    const s = scheme('annotation');
    const role: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' } };
    expect(s.stamp(role, app('guestbook'), { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', namespace: '', name: 'reader' }))
      .toBe('guestbook:rbac.authorization.k8s.io/ClusterRole:guestbook/reader');
    expect(isTrackedAsItself(s, role, { namespace: 'argocd', name: 'guestbook' })).toBe(true);
  });

  it('label tracking: the instance label, selected by the watch; a name too long for it is refused', () => {
    const s = scheme('label');
    const obj = deployment();
    s.stamp(obj, app('guestbook'), key);
    expect(obj.metadata.labels).toEqual({ 'app.kubernetes.io/instance': 'guestbook' });
    expect(obj.metadata.annotations).toEqual({});
    expect(s.selector).toBe('app.kubernetes.io/instance');
    expect(s.trackedAs(obj)).toEqual({ app: { namespace: 'argocd', name: 'guestbook' }, key });
    expect(s.problemWith(app('guestbook'))).toBeUndefined();
    expect(s.problemWith(app('x'.repeat(70)))).toContain('longer than 63 characters');
  });

  it('objects with an owner are never an app\'s (a ReplicaSet that inherited the label)', () => {
    const s = scheme('label');
    const replicaSet: KubeObject = {
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: { name: 'web-1', namespace: 'guestbook', labels: { 'app.kubernetes.io/instance': 'guestbook' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'u' }] },
    };
    expect(s.trackedAs(replicaSet)).toBeUndefined();
  });

  it('copies its marks and takes them off, guarded', () => {
    const s = scheme('annotation+label');
    const from = deployment();
    s.stamp(from, app('guestbook'), key);
    const to = deployment({ labels: { team: 'a' } });
    s.copyTracking(from, to);
    expect(to.metadata.labels).toEqual({ team: 'a', 'app.kubernetes.io/instance': 'guestbook' });
    expect(to.metadata.annotations).toEqual({ 'argocd.argoproj.io/tracking-id': 'guestbook:apps/Deployment:guestbook/web' });
    expect(s.untrackOps(to)).toEqual([
      { op: 'test', path: '/metadata/annotations/argocd.argoproj.io~1tracking-id', value: 'guestbook:apps/Deployment:guestbook/web' },
      { op: 'remove', path: '/metadata/annotations/argocd.argoproj.io~1tracking-id' },
      { op: 'test', path: '/metadata/labels/app.kubernetes.io~1instance', value: 'guestbook' },
      { op: 'remove', path: '/metadata/labels/app.kubernetes.io~1instance' },
    ]);
  });
});
