import { describe, expect, it } from '@jest/globals';
import { orphanedObjects, orphanIgnored, orphanKindExcluded, type NamespaceObject } from './orphaned.js';
import { project } from './testing/project.js';

const cm = (name: string, extra: Partial<NamespaceObject> = {}): NamespaceObject => ({ group: '', kind: 'ConfigMap', name, namespace: 'web', owned: false, ...extra });
const context = { cluster: { server: 'https://kubernetes.default.svc', name: 'in-cluster' }, managed: (app: string) => app === 'capstan/live', declared: new Set(['/ConfigMap/web/declared']) };
const open = project('p', { destinations: [{ server: '*', namespace: '*' }], orphanedResources: { warn: true } });

describe('orphanedObjects', () => {
  it('keeps top-level objects no existing app manages and this app does not declare, sorted', () => {
    const objects = [
      cm('zeta'), cm('alpha'), cm('child', { owned: true }), cm('declared'), cm('live-app', { trackedBy: 'capstan/live' }),
      cm('gone-app', { trackedBy: 'capstan/gone' }), cm('kube-root-ca.crt'),
      { group: '', kind: 'ServiceAccount', name: 'default', namespace: 'web', owned: false },
      { group: 'coordination.k8s.io', kind: 'Lease', name: 'lock', namespace: 'web', owned: false },
    ];
    expect(orphanedObjects(open, objects, context).map((o) => o.name)).toEqual(['alpha', 'gone-app', 'zeta']);
  });

  it('leaves out what the ignore entries match and kinds the project does not permit', () => {
    const p = project('p', {
      destinations: [{ server: '*', namespace: '*' }], namespaceResourceBlacklist: [{ group: '', kind: 'Secret' }],
      orphanedResources: { warn: true, ignore: [{ kind: 'ConfigMap', name: 'legacy-*' }] },
    });
    const objects = [cm('legacy-a'), cm('new'), { group: '', kind: 'Secret', name: 's', namespace: 'web', owned: false }];
    expect(orphanedObjects(p, objects, context).map((o) => o.name)).toEqual(['new']);
  });

  it('ignores the kubernetes Service of namespace default only', () => {
    const service = { group: '', kind: 'Service', name: 'kubernetes' };
    expect(orphanIgnored(open, { ...service, namespace: 'default' })).toBe(true);
    expect(orphanIgnored(open, { ...service, namespace: 'web' })).toBe(false);
  });

  it('excludes the kinds Kubernetes keeps records in', () => {
    expect(orphanKindExcluded('', 'Event')).toBe(true);
    expect(orphanKindExcluded('events.k8s.io', 'Event')).toBe(true);
    expect(orphanKindExcluded('discovery.k8s.io', 'EndpointSlice')).toBe(true);
    expect(orphanKindExcluded('', 'ConfigMap')).toBe(false);
  });
});
