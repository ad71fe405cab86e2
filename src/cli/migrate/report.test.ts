import { describe, expect, it } from '@jest/globals';
import type { ResourceKey } from '../../api/object.js';
import { changesOf, exitCodeOf, formatReport, namesShown, objectName, reportJson, summaryLine, summaryOf, type MigrationApp, type MigrationReport } from './report.js';

const cm = (name: string): ResourceKey => ({ group: '', kind: 'ConfigMap', namespace: 'web', name });
const deploy = (name: string): ResourceKey => ({ group: 'apps', kind: 'Deployment', namespace: 'web', name });
const none = { create: [], update: [], prunable: [], adopted: 0, shared: [] };

const app = (name: string, outcome: MigrationApp['outcome']): MigrationApp => ({
  name, project: 'default', sources: ['https://git.example.com/apps.git guestbook@HEAD'], destination: 'https://kubernetes.default.svc/web', outcome,
});

const report = (applications: MigrationApp[], extra: Partial<MigrationReport> = {}): MigrationReport => ({
  namespace: 'argocd',
  config: { found: true, trackingMethod: 'annotation', problems: [], ignored: 2 },
  applications,
  projects: [{ name: 'default', unsupported: [] }],
  ...extra,
});

describe('changesOf', () => {
  it('prunes only with automated sync and prune; otherwise the objects Git dropped are kept', () => {
    const found = { ...none, update: [deploy('web')], prunable: [cm('old')], adopted: 1 };
    const pruning = changesOf({ ...found, autoSync: true, autoPrune: true });
    expect(pruning.prune).toEqual({ count: 1, names: ['ConfigMap web/old'] });
    expect(pruning.keep.count).toBe(0);
    expect(pruning.update.names).toEqual(['Deployment.apps web/web']);
    const keeping = changesOf({ ...found, autoSync: true, autoPrune: false });
    expect(keeping.prune.count).toBe(0);
    expect(keeping.keep).toEqual({ count: 1, names: ['ConfigMap web/old'] });
    // Prune without automated sync: nothing runs by itself.
    expect(changesOf({ ...found, autoSync: false, autoPrune: true }).prune.count).toBe(0);
  });

  it('keeps the count of every object and the names of the first few, sorted', () => {
    const many = Array.from({ length: namesShown + 5 }, (_, i) => cm(`c${String(i).padStart(3, '0')}`)).reverse();
    const changes = changesOf({ ...none, create: many, autoSync: true, autoPrune: false });
    expect(changes.create.count).toBe(namesShown + 5);
    expect(changes.create.names).toHaveLength(namesShown);
    expect(changes.create.names[0]).toBe('ConfigMap web/c000');
    const text = formatReport(report([app('many', changes)]));
    expect(text).toContain('    create 25:\n      ConfigMap web/c000\n');
    expect(text).toContain('      … and 5 more\n');
  });

  it('names cluster-scoped objects without a namespace', () => {
    expect(objectName({ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', namespace: '', name: 'reader' })).toBe('ClusterRole.rbac.authorization.k8s.io reader');
  });
});

describe('the migration report', () => {
  const inSync = app('guestbook', changesOf({ ...none, adopted: 2, autoSync: true, autoPrune: true }));
  const refused = app('informed', { outcome: 'refused', unsupported: [{ path: 'spec.info', reason: 'informational links are not supported' }] });
  const drifted = app('drifted', changesOf({ ...none, create: [cm('new')], update: [deploy('web')], prunable: [cm('old')], autoSync: true, autoPrune: true }));
  const manual = app('manual', changesOf({ ...none, create: [cm('new')], autoSync: false, autoPrune: false }));

  it('prints each app with what its first reconcile would do, and the summary line last', () => {
    const text = formatReport(report([inSync, refused, drifted]));
    expect(text).toContain('argocd-cm: tracking by annotation; 0 keys Capstan does not carry out, 2 ignored');
    expect(text).toContain('- guestbook (project default) → https://kubernetes.default.svc/web\n  source: https://git.example.com/apps.git guestbook@HEAD\n' +
      '  first reconcile: 0 to create, 0 to update, 0 to prune\n    taken over with no write (equal to Git): 2\n');
    expect(text).toContain('- informed (project default)');
    expect(text).toContain('  would be refused (InvalidSpec): Argo CD fields Capstan does not carry out; nothing compared\n    spec.info: informational links are not supported\n');
    expect(text).toContain('  first reconcile: 1 to create, 1 to update, 1 to prune\n');
    expect(text).toContain('    prune 1:\n      ConfigMap web/old\n');
    expect(text).toContain('AppProjects (1):\n- default: supported as it is\n');
    expect(text.endsWith('\n3 applications, 1 would change, 1 unsupported fields\n')).toBe(true);
    expect(exitCodeOf(summaryOf(report([inSync, refused, drifted])))).toBe(1);
  });

  it('exits 0 only when nothing would change and everything is supported', () => {
    expect(exitCodeOf(summaryOf(report([inSync])))).toBe(0);
    expect(summaryLine(summaryOf(report([inSync])))).toBe('1 applications, 0 would change, 0 unsupported fields');
    // An app without automated sync changes nothing by itself: its differences are shown, not counted.
    expect(formatReport(report([manual]))).toContain('  first reconcile: nothing applied (no automated sync); out of sync: 1 to create, 0 to update, 0 to prune\n    taken over with no write (equal to Git): 0\n    missing 1:\n');
    expect(exitCodeOf(summaryOf(report([manual])))).toBe(0);
    expect(exitCodeOf(summaryOf(report([drifted])))).toBe(1);
    expect(exitCodeOf(summaryOf(report([inSync], { projects: [{ name: 'team', unsupported: [{ path: 'spec.roles', reason: 'roles' }] }] })))).toBe(1);
  });

  it('counts failed comparisons and argocd-cm problems, which also exit 1', () => {
    const failed = app('broken', { outcome: 'failed', error: 'ComparisonError: repository not found' });
    const problems = [{ key: 'kustomize.buildOptions', message: 'kustomize.buildOptions: not carried out' }];
    const r = report([inSync, failed], { config: { found: true, trackingMethod: 'label', problems, ignored: 0 } });
    const text = formatReport(r);
    expect(text).toContain('  comparison failed: ComparisonError: repository not found\n');
    expect(text).toContain('1 keys Capstan does not carry out, 0 ignored (no bearing on what is applied)\n  kustomize.buildOptions: not carried out\n');
    expect(summaryLine(summaryOf(r))).toBe('2 applications, 0 would change, 0 unsupported fields, 1 could not be compared, 1 argocd-cm problems');
    expect(exitCodeOf(summaryOf(r))).toBe(1);
  });

  it('says when argocd-cm is missing, and gives the summary in JSON', () => {
    const r = report([inSync], { config: { found: false, trackingMethod: 'annotation', problems: [], ignored: 0 } });
    expect(formatReport(r)).toContain("argocd-cm: not found; Argo CD's defaults apply (tracking by annotation)");
    expect(reportJson(r).summary).toEqual({ applications: 1, wouldChange: 0, unsupportedFields: 0, failed: 0, configProblems: 0 });
  });
});
