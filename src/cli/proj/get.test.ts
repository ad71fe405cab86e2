import { describe, expect, it } from '@jest/globals';
import { implicitDefaultProject } from '../../projects/default-project.js';
import { appProjectApiVersion, appProjectKind, type AppProject } from '../../projects/types.js';
import { captureIO } from '../output/testing/capture.js';
import { printProject } from './get.js';
import { windowsCell } from './view.js';

const now = new Date('2026-03-02T23:00:00Z');
const teamA: AppProject = {
  apiVersion: appProjectApiVersion, kind: appProjectKind,
  metadata: { name: 'team-a', namespace: 'capstan', creationTimestamp: '2026-03-01T00:00:00Z' },
  spec: {
    description: 'Team A',
    sourceRepos: ['https://git.example.com/team-a/*'],
    destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'team-a*' }],
    clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
    syncWindows: [
      { kind: 'deny', schedule: '0 22 * * *', duration: '4h', applications: ['*'], manualSync: true },
      { kind: 'allow', schedule: '0 9 * * 1-5', duration: '8h', namespaces: ['team-a'], timeZone: 'Europe/Berlin' },
    ],
    destinationServiceAccounts: [{ server: '*', namespace: 'team-a*', defaultServiceAccount: 'deployer' }],
  },
};

describe('printProject', () => {
  it('shows every rule of a project, its windows with whether they are open now', () => {
    const io = captureIO();
    printProject(teamA, { output: 'table' }, io, now);
    const text = io.out.text();
    expect(text).toContain('Name:               capstan/team-a\n');
    expect(text).toContain('Source Repos:       https://git.example.com/team-a/*\n');
    expect(text).toContain('Orphaned Resources: not tracked\n');
    expect(text).toMatch(/DESTINATIONS\nSERVER +NAME +NAMESPACE\nhttps:\/\/kubernetes\.default\.svc +<none> +team-a\*\n/);
    expect(text).toMatch(/cluster +allow +core\/Namespace\n/);
    expect(text).toMatch(/namespaced +allow +every kind\n/);
    expect(text).toMatch(/deny +0 22 \* \* \* +4h +UTC +\* +<none> +<none> +yes +any +yes\n/);
    expect(text).toMatch(/allow +0 9 \* \* 1-5 +8h +Europe\/Berlin +<none> +team-a +<none> +no +any +no\n/);
    expect(text).toMatch(/SERVICE ACCOUNTS\nSERVER +NAMESPACE +SERVICE ACCOUNT\n\* +team-a\* +deployer\n/);
    expect(text).not.toContain('PROBLEMS');
  });

  it('says when default is implicit, and lists the problems of a project that cannot be used', () => {
    const io = captureIO();
    printProject(implicitDefaultProject('capstan'), { output: 'table' }, io, now);
    expect(io.out.text()).toContain('capstan/default (implicit: no AppProject named default exists)');
    const broken = captureIO();
    printProject({ ...teamA, spec: { ...teamA.spec, destinations: [], syncWindows: [{ kind: 'deny', schedule: 'never', duration: '1h', applications: ['*'] }] } }, { output: 'table' }, broken, now);
    expect(broken.out.text()).toContain('none: apps of this project may deploy nowhere');
    expect(broken.out.text()).toContain('PROBLEMS (apps of this project are refused until they are fixed)\n- spec.syncWindows[0].schedule: schedule "never" is not a cron expression of five fields');
  });

  it('prints the AppProject itself as JSON or YAML', () => {
    const io = captureIO();
    printProject(teamA, { output: 'json' }, io, now);
    expect(JSON.parse(io.out.text())).toEqual(teamA);
  });
});

describe('windowsCell', () => {
  it('counts windows by kind and names the open ones', () => {
    expect(windowsCell(teamA, now)).toBe('1 allow, 1 deny (open now: deny)');
    expect(windowsCell(implicitDefaultProject('capstan'), now)).toBe('');
  });
});
