import { describe, expect, it } from '@jest/globals';
import { appNamespacePermitted } from './app-namespace-rules.js';
import { findProject, implicitDefaultProject } from './default-project.js';
import { destinationPermitted } from './destination-rules.js';
import { normalizeRepoUrl } from './repo-url.js';
import { resourcePermitted } from './resource-rules.js';
import { sourcePermitted } from './source-rules.js';
import { project } from './testing/project.js';

const inCluster = 'https://kubernetes.default.svc';
const teamA = project('team-a', {
  sourceRepos: ['https://git.example.com/team-a/*', '!https://git.example.com/team-a/secret'],
  destinations: [{ server: inCluster, namespace: 'team-a*' }],
  namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }],
});

describe('normalizeRepoUrl', () => {
  it.each([
    ['https://Git.Example.com/Org/Repo.git', 'https://git.example.com/org/repo'],
    ['  git@github.com:org/repo.git ', 'git@github.com/org/repo'],
    ['ssh://git@github.com/org/repo', 'git@github.com/org/repo'],
    ['file:///srv/repos/a.git', 'file:///srv/repos/a'],
  ])('%s → %s', (url, normalized) => {
    expect(normalizeRepoUrl(url)).toBe(normalized);
  });
});

describe('sourcePermitted', () => {
  it('permits a repository a glob matches, after normalizing both', () => {
    expect(sourcePermitted(teamA, 'https://GIT.example.com/team-a/app.git')).toBeUndefined();
  });

  it('does not let * cross a path segment', () => {
    expect(sourcePermitted(teamA, 'https://git.example.com/team-a/group/app')).toBe(
      'source repository "https://git.example.com/team-a/group/app" is not permitted by project "team-a" (sourceRepos: https://git.example.com/team-a/*, !https://git.example.com/team-a/secret)',
    );
  });

  it('lets a ! pattern deny a repository that an allow matches (deny wins)', () => {
    expect(sourcePermitted(teamA, 'https://git.example.com/team-a/secret.git')).toBe(
      'source repository "https://git.example.com/team-a/secret.git" is denied by project "team-a" (sourceRepos: !https://git.example.com/team-a/secret)',
    );
  });

  it('matches scp-like SSH URLs against ssh:// patterns', () => {
    const ssh = project('ssh', { sourceRepos: ['ssh://git@github.com/org/*'] });
    expect(sourcePermitted(ssh, 'git@github.com:org/app.git')).toBeUndefined();
  });

  it('takes * alone for every repository', () => {
    expect(sourcePermitted(implicitDefaultProject('capstan'), 'https://a/b/c/d.git')).toBeUndefined();
  });

  it('permits nothing with denials alone: a repository needs an allow rule (as Argo CD documents)', () => {
    const denyOnly = project('deny-only', { sourceRepos: ['!https://evil.example.com/**'] });
    expect(sourcePermitted(denyOnly, 'https://good.example.com/x')).toContain('is not permitted by project "deny-only"');
    expect(sourcePermitted(denyOnly, 'https://evil.example.com/a/b')).toContain('is denied by project "deny-only"');
    const both = project('both', { sourceRepos: ['!https://evil.example.com/**', '*'] });
    expect(sourcePermitted(both, 'https://good.example.com/x')).toBeUndefined();
    expect(sourcePermitted(both, 'https://evil.example.com/a/b')).toContain('is denied by project "both"');
  });

  it('permits nothing without sourceRepos', () => {
    expect(sourcePermitted(project('empty', {}), 'https://x/y')).toBe('source repository "https://x/y" is not permitted by project "empty" (sourceRepos: none)');
  });
});

describe('destinationPermitted', () => {
  it('permits a namespace the glob matches on the server', () => {
    expect(destinationPermitted(teamA, { server: inCluster, namespace: 'team-a-dev' })).toBeUndefined();
  });

  it('names the rule when the namespace is not permitted', () => {
    expect(destinationPermitted(teamA, { server: inCluster, namespace: 'team-b' })).toBe(
      'destination namespace "team-b" is not permitted by project "team-a" (destinations: https://kubernetes.default.svc/team-a*)',
    );
  });

  it('names the cluster when no destination matches it', () => {
    expect(destinationPermitted(teamA, { server: 'https://prod:6443', name: 'prod', namespace: 'team-a' })).toBe(
      'destination cluster "https://prod:6443" is not permitted by project "team-a" (destinations: https://kubernetes.default.svc/team-a*)',
    );
  });

  it('matches a destination by cluster name or by server', () => {
    const byName = project('by-name', { destinations: [{ name: 'stage', namespace: '*' }] });
    expect(destinationPermitted(byName, { server: 'https://stage:6443', name: 'stage', namespace: 'x' })).toBeUndefined();
    expect(destinationPermitted(byName, { name: 'stage', namespace: 'x' })).toBeUndefined();
    expect(destinationPermitted(byName, { server: 'https://stage:6443', namespace: 'x' })).toContain('destination cluster "https://stage:6443" is not permitted');
  });

  it('lets a ! namespace deny what another destination allows (deny wins)', () => {
    const p = project('no-system', { destinations: [{ server: '*', namespace: '*' }, { server: '*', namespace: '!kube-system' }] });
    expect(destinationPermitted(p, { server: inCluster, namespace: 'apps' })).toBeUndefined();
    expect(destinationPermitted(p, { server: inCluster, namespace: 'kube-system' })).toBe(
      'destination "https://kubernetes.default.svc" namespace "kube-system" is denied by project "no-system" (destinations: */!kube-system)',
    );
  });

  it('lets a ! server or name deny a cluster', () => {
    const p = project('no-prod', { destinations: [{ server: '*', namespace: '*' }, { server: '!https://prod*', namespace: '*' }, { name: '!prod', namespace: '*' }] });
    expect(destinationPermitted(p, { server: 'https://prod.example.com', namespace: 'a' })).toContain('is denied by project "no-prod" (destinations: !https://prod*/*)');
    expect(destinationPermitted(p, { server: 'https://other', name: 'prod', namespace: 'a' })).toContain('is denied by project "no-prod" (destinations: name=!prod/*)');
    expect(destinationPermitted(p, { server: 'https://stage', name: 'stage', namespace: 'a' })).toBeUndefined();
  });

  it('permits nothing with deny rules alone', () => {
    const p = project('deny-only', { destinations: [{ server: '*', namespace: '!kube-system' }] });
    expect(destinationPermitted(p, { server: inCluster, namespace: 'apps' })).toBe('destination cluster "https://kubernetes.default.svc" is not permitted by project "deny-only" (destinations: */!kube-system)');
  });

  it('a destination without a namespace permits only the empty namespace', () => {
    const p = project('cluster-only', { destinations: [{ server: inCluster }] });
    expect(destinationPermitted(p, { server: inCluster, namespace: '' })).toBeUndefined();
    expect(destinationPermitted(p, { server: inCluster, namespace: 'a' })).toContain('is not permitted');
  });

  it('permits nothing without destinations', () => {
    expect(destinationPermitted(project('none', {}), { server: inCluster, namespace: 'a' })).toContain('(destinations: none)');
  });
});

describe('resourcePermitted', () => {
  const cluster = { server: inCluster };

  it('permits every namespaced kind when namespaceResourceWhitelist is absent, in a permitted namespace', () => {
    expect(resourcePermitted(teamA, { group: 'apps', kind: 'Deployment', name: 'web', namespaced: true, namespace: 'team-a' }, cluster)).toBeUndefined();
  });

  it('refuses a namespaced object in a namespace that is not a permitted destination', () => {
    expect(resourcePermitted(teamA, { group: '', kind: 'ConfigMap', name: 'c', namespaced: true, namespace: 'team-b' }, cluster)).toBe(
      'destination namespace "team-b" is not permitted by project "team-a" (destinations: https://kubernetes.default.svc/team-a*)',
    );
  });

  it('denies a blacklisted namespaced kind', () => {
    expect(resourcePermitted(teamA, { group: '', kind: 'ResourceQuota', name: 'q', namespaced: true, namespace: 'team-a' }, cluster)).toBe(
      'namespaced resource ResourceQuota "q" is denied by project "team-a" (namespaceResourceBlacklist: ""/ResourceQuota)',
    );
  });

  it('denies every cluster-scoped kind when clusterResourceWhitelist is absent or empty', () => {
    const clusterRole = { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin', namespaced: false };
    expect(resourcePermitted(teamA, clusterRole, cluster)).toBe(
      'cluster-scoped resource rbac.authorization.k8s.io/ClusterRole "admin" is not permitted by project "team-a" (clusterResourceWhitelist: none)',
    );
    expect(resourcePermitted(project('empty', { clusterResourceWhitelist: [] }), clusterRole, cluster)).toContain('clusterResourceWhitelist: none');
  });

  it('permits a whitelisted cluster-scoped kind unless blacklisted, by group/kind glob and name', () => {
    const p = project('ns-admin', {
      clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }, { group: 'rbac.authorization.k8s.io', kind: 'Cluster*', name: 'team-a-*' }],
      clusterResourceBlacklist: [{ group: '', kind: 'Namespace', name: 'kube-*' }],
    });
    expect(resourcePermitted(p, { group: '', kind: 'Namespace', name: 'team-a', namespaced: false }, cluster)).toBeUndefined();
    expect(resourcePermitted(p, { group: '', kind: 'Namespace', name: 'kube-public', namespaced: false }, cluster)).toBe(
      'cluster-scoped resource Namespace "kube-public" is denied by project "ns-admin" (clusterResourceBlacklist: ""/Namespace/kube-*)',
    );
    expect(resourcePermitted(p, { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding', name: 'team-a-view', namespaced: false }, cluster)).toBeUndefined();
    expect(resourcePermitted(p, { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin', namespaced: false }, cluster)).toContain('is not permitted');
  });

  it('with a namespaceResourceWhitelist, permits only the kinds it lists; an empty one permits none (as Argo CD)', () => {
    const p = project('cm-only', { destinations: [{ server: '*', namespace: '*' }], namespaceResourceWhitelist: [{ group: '', kind: 'ConfigMap' }] });
    expect(resourcePermitted(p, { group: '', kind: 'ConfigMap', namespaced: true, namespace: 'a' }, cluster)).toBeUndefined();
    expect(resourcePermitted(p, { group: 'apps', kind: 'Deployment', namespaced: true, namespace: 'a' }, cluster)).toBe(
      'namespaced resource apps/Deployment is not permitted by project "cm-only" (namespaceResourceWhitelist: ""/ConfigMap)',
    );
    const none = project('none', { destinations: [{ server: '*', namespace: '*' }], namespaceResourceWhitelist: [] });
    expect(resourcePermitted(none, { group: '', kind: 'ConfigMap', namespaced: true, namespace: 'a' }, cluster)).toContain('namespaceResourceWhitelist: none');
  });

  it('the implicit default project permits everything', () => {
    const p = implicitDefaultProject('capstan');
    expect(resourcePermitted(p, { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', namespaced: false }, cluster)).toBeUndefined();
    expect(resourcePermitted(p, { group: 'apps', kind: 'Deployment', namespaced: true, namespace: 'any' }, { name: 'x', server: 'https://x' })).toBeUndefined();
  });
});

describe('appNamespacePermitted', () => {
  const p = project('multi', { sourceNamespaces: ['team-*'] });

  it('always permits apps in the controller namespace', () => {
    expect(appNamespacePermitted(project('none', {}), 'capstan', 'capstan')).toBeUndefined();
  });

  it('permits other namespaces only when a sourceNamespaces glob matches', () => {
    expect(appNamespacePermitted(p, 'team-a', 'capstan')).toBeUndefined();
    expect(appNamespacePermitted(p, 'other', 'capstan')).toBe('an Application in namespace "other" is not permitted by project "multi" (sourceNamespaces: team-*)');
    expect(appNamespacePermitted(implicitDefaultProject('capstan'), 'team-a', 'capstan')).toContain('(sourceNamespaces: none)');
  });
});

describe('findProject', () => {
  it('implies default only while no AppProject named default exists', () => {
    expect(findProject([], 'default', 'capstan')?.spec.sourceRepos).toEqual(['*']);
    const own = project('default', { sourceRepos: ['https://only/*'] });
    expect(findProject([own], 'default', 'capstan')).toBe(own);
    expect(findProject([own], 'team-a', 'capstan')).toBeUndefined();
  });
});
