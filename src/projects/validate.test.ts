import { describe, expect, it } from '@jest/globals';
import { implicitDefaultProject } from './default-project.js';
import { project } from './testing/project.js';
import type { AppProjectSpec, SyncWindow } from './types.js';
import { validateProject } from './validate.js';

const window: SyncWindow = { kind: 'deny', schedule: '0 22 * * *', duration: '1h30m', applications: ['*'], timeZone: 'Europe/Berlin' };
const problems = (spec: AppProjectSpec): string[] => validateProject(project('p', spec));

describe('validateProject', () => {
  it('accepts the implicit default project and a project using every field', () => {
    expect(validateProject(implicitDefaultProject('capstan'))).toEqual([]);
    expect(problems({
      description: 'team A',
      sourceRepos: ['https://git.example.com/team-a/*', '!https://git.example.com/team-a/secret'],
      destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'team-a-*' }, { name: 'stage', namespace: '!kube-system' }],
      clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name: 'team-a-*' }],
      clusterResourceBlacklist: [{ group: '*', kind: 'ClusterRole' }],
      namespaceResourceWhitelist: [{ group: '*', kind: '*' }],
      namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }],
      sourceNamespaces: ['team-a-*'],
      syncWindows: [window, { kind: 'allow', schedule: '*/15 9-17 * * 1-5', duration: '10m', clusters: ['in-cluster'], namespaces: ['a'], manualSync: true, andOperator: true }],
      orphanedResources: { warn: true, ignore: [{ group: 'apps', kind: 'Deployment', name: 'keep-*' }] },
      destinationServiceAccounts: [{ server: '*', namespace: 'team-a-*', defaultServiceAccount: 'deployer' }, { server: '*', namespace: '*', defaultServiceAccount: 'capstan:readonly' }],
      approval: { destinations: [{ name: 'prod', namespace: '*' }, { server: 'https://prod-*', namespace: '!kube-system' }], selfHeal: false },
    })).toEqual([]);
  });

  it('refuses sync windows with a bad kind, cron, duration or time zone, or no selector', () => {
    expect(problems({
      syncWindows: [
        { ...window, kind: 'block' as SyncWindow['kind'] },
        { ...window, schedule: '0 22 * *' },
        { ...window, schedule: '@daily' },
        { ...window, schedule: '0 0 30 2 *' },
        { ...window, duration: '90' },
        { ...window, duration: '0s' },
        { ...window, timeZone: 'Mars/Olympus' },
        { kind: 'allow', schedule: '0 1 * * *', duration: '1h' },
        { ...window, applications: ['[web'] },
      ],
    })).toEqual([
      'spec.syncWindows[0].kind: "block" is neither allow nor deny',
      'spec.syncWindows[1].schedule: schedule "0 22 * *" is not a cron expression of five fields (minute hour day-of-month month day-of-week)',
      'spec.syncWindows[2].schedule: schedule "@daily" is not a cron expression of five fields (minute hour day-of-month month day-of-week)',
      expect.stringMatching(/^spec\.syncWindows\[3\]\.schedule: schedule "0 0 30 2 \*" is not a valid cron expression: /),
      'spec.syncWindows[4].duration: duration "90" is not a duration such as 1h, 30m or 1h30m',
      'spec.syncWindows[5].duration: duration "0s" must be longer than zero',
      'spec.syncWindows[6].timeZone: time zone "Mars/Olympus" is unknown (use an IANA name such as Europe/Berlin or UTC)',
      'spec.syncWindows[7]: names no applications, namespaces or clusters, so it would apply to nothing',
      'spec.syncWindows[8].applications[0]: glob "[web" is not valid: a [ is not closed',
    ]);
  });

  it('refuses bad globs, !* and entries listed twice', () => {
    expect(problems({
      sourceRepos: ['!*', 'https://x/{a,b', 'https://y/*', 'https://y/*'],
      destinations: [{ server: '!*', namespace: 'a' }, { server: 'https://x', namespace: '[' }, { server: 'https://z', namespace: 'b' }, { server: 'https://z', namespace: 'b' }],
      namespaceResourceBlacklist: [{ group: 'apps', kind: 'Deploy[' }],
      sourceNamespaces: ['/team-.*/'],
    })).toEqual([
      'spec.sourceRepos[0]: "!*" would deny every repository; remove the entry',
      'spec.sourceRepos[1]: glob "https://x/{a,b" is not valid: a { is not closed',
      'spec.sourceRepos[3]: repository "https://y/*" is listed twice',
      'spec.destinations[0].server: "!*" would deny every destination; remove the entry',
      'spec.destinations[1].namespace: glob "[" is not valid: a [ is not closed',
      'spec.destinations[3]: destination "https://z/b" is listed twice',
      'spec.namespaceResourceBlacklist[0].kind: glob "Deploy[" is not valid: a [ is not closed',
      'spec.sourceNamespaces[0]: regular expressions are not supported; use a glob',
    ]);
  });

  it('refuses ServiceAccount entries that deny or do not name an account', () => {
    expect(problems({
      destinationServiceAccounts: [
        { server: '!https://x', namespace: '*', defaultServiceAccount: 'a' },
        { server: '*', namespace: '*', defaultServiceAccount: 'sys/tem' },
        { server: '*', namespace: 'b', defaultServiceAccount: ' ' },
      ],
    })).toEqual([
      'spec.destinationServiceAccounts[0].server: "!" cannot be used here: entries only grant, the first match wins',
      'spec.destinationServiceAccounts[1].defaultServiceAccount: "sys/tem" is not a ServiceAccount name or namespace:name',
      'spec.destinationServiceAccounts[2].defaultServiceAccount: " " is not a ServiceAccount name or namespace:name',
    ]);
  });

  it('refuses approval fields of the wrong type, unknown, naming no cluster, with bad globs or listed twice', () => {
    const spec = (approval: unknown): AppProjectSpec => ({ approval } as unknown as AppProjectSpec);
    expect(problems(spec({ destinations: [{ name: 'prod', namespace: '*' }], selfHeal: 'no', required: true }))).toEqual([
      'spec.approval.required: is not a field Capstan knows or carries out',
      'spec.approval.selfHeal: must be true or false, not "no"',
    ]);
    expect(problems(spec(['prod']))).toEqual(['spec.approval: must be an object with destinations and selfHeal']);
    expect(problems(spec({ destinations: { name: 'prod' } }))).toEqual(['spec.approval.destinations: must be a list of destinations (server or name, and namespace)']);
    expect(problems(spec({ destinations: ['prod', { name: 7 }, { namespace: 'prod' }] }))).toEqual([
      'spec.approval.destinations[0]: must be an object with server or name, and namespace',
      'spec.approval.destinations[1].name: must be a string (a glob), not 7',
      'spec.approval.destinations[2]: names no cluster (by server or by name), so it would match no app',
    ]);
    expect(problems(spec({ destinations: [{ name: 'prod', namespace: '[' }, { name: '!*', namespace: 'a' }, { name: 'x', namespace: 'a', cluster: 'x' }, { name: 'x', namespace: 'a' }] }))).toEqual([
      'spec.approval.destinations[0].namespace: glob "[" is not valid: a [ is not closed',
      'spec.approval.destinations[1].name: "!*" would deny every destination; remove the entry',
      'spec.approval.destinations[2].cluster: is not a field Capstan knows or carries out',
      'spec.approval.destinations[3]: destination "x/a" is listed twice',
    ]);
  });

  it('refuses fields Capstan does not carry out, but takes their neutral values', () => {
    const spec = {
      roles: [{ name: 'admin' }], signatureKeys: [], permitOnlyProjectScopedClusters: true, clusterResourceWhitelist: [{ group: '', kind: 'Namespace', extra: 1 }],
      syncWindows: [{ ...window, syncOverrun: true }, { ...window, applications: ['other'], syncOverrun: false }], sourceRepos: ['*'], mystery: 1,
    } as unknown as AppProjectSpec;
    expect(problems(spec)).toEqual([
      'spec.roles: is an Argo CD field Capstan does not carry out; remove it',
      'spec.permitOnlyProjectScopedClusters: is an Argo CD field Capstan does not carry out; remove it',
      'spec.mystery: is not a field Capstan knows or carries out',
      'spec.clusterResourceWhitelist[0].extra: is not a field Capstan knows or carries out',
      'spec.syncWindows[0].syncOverrun: is not a field Capstan knows or carries out',
    ]);
  });

  it('says a project without spec is missing it', () => {
    expect(validateProject({ apiVersion: 'capstan.dev/v1alpha1', kind: 'AppProject', metadata: { name: 'x' } } as unknown as ReturnType<typeof implicitDefaultProject>)).toEqual(['spec: is missing']);
  });
});
