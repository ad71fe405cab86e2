import { describe, expect, it } from '@jest/globals';
import { orphanIgnored, orphanedResourcesMode } from './orphaned.js';
import { serviceAccountFor } from './service-account.js';
import { project } from './testing/project.js';

const p = project('team-a', {
  destinationServiceAccounts: [
    { server: 'https://kubernetes.default.svc', namespace: 'team-a-*', defaultServiceAccount: 'deployer' },
    { server: 'https://kubernetes.default.svc', namespace: 'team-a-prod', defaultServiceAccount: 'never-reached' },
    { server: 'https://stage*', namespace: '*', defaultServiceAccount: 'capstan:stage-deployer' },
  ],
});
const appNamespace = 'capstan';

describe('serviceAccountFor', () => {
  it('takes the first entry whose server and namespace globs match; a bare name lives in the destination namespace', () => {
    expect(serviceAccountFor(p, { server: 'https://kubernetes.default.svc', namespace: 'team-a-prod', appNamespace })).toBe('system:serviceaccount:team-a-prod:deployer');
  });

  it('keeps the namespace of a namespace:name account', () => {
    expect(serviceAccountFor(p, { server: 'https://stage.example.com', namespace: 'web', appNamespace })).toBe('system:serviceaccount:capstan:stage-deployer');
  });

  it('puts a bare name in the app namespace when the destination has none', () => {
    const any = project('any', { destinationServiceAccounts: [{ server: '*', namespace: '*', defaultServiceAccount: 'deployer' }] });
    expect(serviceAccountFor(any, { server: 'https://x', namespace: '', appNamespace })).toBe('system:serviceaccount:capstan:deployer');
  });

  it('is undefined when no entry matches, or the project has none', () => {
    expect(serviceAccountFor(p, { server: 'https://prod', namespace: 'team-a-x', appNamespace })).toBeUndefined();
    expect(serviceAccountFor(p, { server: 'https://kubernetes.default.svc', namespace: 'team-b', appNamespace })).toBeUndefined();
    expect(serviceAccountFor(project('none', {}), { server: 'https://kubernetes.default.svc', namespace: 'a', appNamespace })).toBeUndefined();
  });
});

describe('orphaned resources', () => {
  it('is off without orphanedResources, tracks with it, warns with warn: true', () => {
    expect(orphanedResourcesMode(project('a', {}))).toBe('off');
    expect(orphanedResourcesMode(project('a', { orphanedResources: {} }))).toBe('track');
    expect(orphanedResourcesMode(project('a', { orphanedResources: { warn: true } }))).toBe('warn');
  });

  it('ignores the default ServiceAccount, kube-root-ca.crt, and what an ignore entry matches', () => {
    const q = project('q', { orphanedResources: { warn: true, ignore: [{ group: 'apps', kind: 'Deploy*', name: 'keep-*' }, { group: '', name: 'legacy' }] } });
    expect(orphanIgnored(q, { group: '', kind: 'ServiceAccount', name: 'default' })).toBe(true);
    expect(orphanIgnored(q, { group: '', kind: 'ConfigMap', name: 'kube-root-ca.crt' })).toBe(true);
    expect(orphanIgnored(q, { group: 'apps', kind: 'Deployment', name: 'keep-me' })).toBe(true);
    expect(orphanIgnored(q, { group: 'apps', kind: 'Deployment', name: 'other' })).toBe(false);
    expect(orphanIgnored(q, { group: '', kind: 'Secret', name: 'legacy' })).toBe(true);
    expect(orphanIgnored(q, { group: '', kind: 'Secret', name: 'new' })).toBe(false);
  });
});
