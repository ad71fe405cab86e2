import { describe, expect, it } from '@jest/globals';
import { validateProject } from '../projects/validate.js';
import { toCapstanProject } from './project.js';
import type { ArgoAppProject, ArgoAppProjectSpec } from './types.js';

function argoProject(spec: ArgoAppProjectSpec): ArgoAppProject {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'web', namespace: 'argocd', uid: 'u-1', resourceVersion: '12' }, spec };
}

const realistic: ArgoAppProjectSpec = {
  description: 'Web team',
  sourceRepos: ['https://github.com/example/*'],
  destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'web-*' }, { name: 'in-cluster', namespace: '!kube-system' }],
  clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
  namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }],
  sourceNamespaces: ['argocd', 'web-apps'],
  orphanedResources: { warn: true, ignore: [{ kind: 'ConfigMap', name: 'kube-root-ca.crt' }] },
  syncWindows: [{ kind: 'deny', schedule: '0 22 * * *', duration: '8h', applications: ['*-prod'], manualSync: true, timeZone: 'Europe/Berlin' }],
  destinationServiceAccounts: [{ server: 'https://kubernetes.default.svc', namespace: 'web-*', defaultServiceAccount: 'deployer' }],
  roles: [],
  permitOnlyProjectScopedClusters: false,
};

describe('toCapstanProject', () => {
  it('converts a realistic project with nothing unsupported, into one Capstan accepts', () => {
    const { project, unsupported } = toCapstanProject(argoProject(realistic));
    expect(unsupported).toEqual([]);
    expect(validateProject(project)).toEqual([]);
    const { roles: _roles, permitOnlyProjectScopedClusters: _scoped, ...same } = realistic;
    expect(project.spec).toEqual(same);
    expect(project.metadata).toEqual({ name: 'web', namespace: 'argocd', uid: 'u-1', resourceVersion: '12' });
    expect(project.apiVersion).toBe('capstan.dev/v1alpha1');
  });

  it('keeps an empty orphanedResources (monitoring on, no warnings)', () => {
    expect(toCapstanProject(argoProject({ orphanedResources: {} })).project.spec).toEqual({ orphanedResources: {} });
  });

  it('names the fields Capstan does not carry out', () => {
    const { unsupported } = toCapstanProject(argoProject({
      roles: [{ name: 'ci', policies: ['p, proj:web:ci, applications, sync, web/*, allow'] }],
      signatureKeys: [{ keyID: '4AEE18F83AFDEB23' }],
      sourceIntegrity: { git: { policies: [] } },
      permitOnlyProjectScopedClusters: true,
      syncWindows: [{ kind: 'allow', schedule: '0 8 * * *', duration: '10h', namespaces: ['*'], syncOverrun: true }],
    }));
    expect(unsupported.map((u) => u.path)).toEqual(['spec.roles', 'spec.signatureKeys', 'spec.sourceIntegrity', 'spec.permitOnlyProjectScopedClusters', 'spec.syncWindows[0].syncOverrun']);
  });
});
