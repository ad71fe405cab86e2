import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { HealthStatus } from '../api/health.js';
import { customChecksDir, customHealthExpectations, customObjectText, loadCustomObject } from '../health/custom/testing/expectations.js';
import { healthFixtureExpectations, healthFixturesDir, loadHealthFixture, type HealthFixtureExpectation } from '../health/testing/fixtures.js';
import { registerHealthCommand, type ObjectHealthReport } from './health-command.js';
import { runCli, runCommand } from './output/testing/run-command.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'capstan-health-cli-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const fixtureText = (file: string) => readFileSync(path.join(healthFixturesDir, file), 'utf8');

/** The fixture files as one multi-document YAML file; returns its path. */
async function multiDocumentFile(name: string, fixtures: readonly string[]): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, fixtures.map((f) => `---\n# ${f}\n${fixtureText(f)}`).join('\n'));
  return file;
}

/** The custom-check object files as one multi-document YAML file; returns its path. */
async function customObjectsFile(name: string, objects: readonly string[]): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, objects.map((f) => `---\n# ${f}\n${customObjectText(f)}`).join('\n'));
  return file;
}

async function healthJson(args: string[], stdin?: string): Promise<ObjectHealthReport[]> {
  const io = await runCommand(registerHealthCommand, ['health', ...args, '-o', 'json'], { stdin });
  expect(io.err.text()).toBe('');
  expect(io.exitCode()).toBeUndefined();
  return JSON.parse(io.out.text()) as ObjectHealthReport[];
}

const kinds: readonly (readonly [kind: string, filePrefix: string])[] = [
  ['Deployment', 'deployment-'],
  ['StatefulSet', 'statefulset-'],
  ['DaemonSet', 'daemonset-'],
  ['Pod', 'pod-'],
  ['Job', 'job-'],
  ['PersistentVolumeClaim', 'pvc-'],
  ['Service', 'service-'],
  ['Ingress', 'ingress-'],
];

const expectationsFor = (prefix: string): readonly HealthFixtureExpectation[] => healthFixtureExpectations.filter(([file]) => file.startsWith(prefix));

describe('capstan health -f FILE -o json', () => {
  it.each(kinds)('assesses a multi-document file of %s objects, in input order', async (kind, prefix) => {
    const expectations = expectationsFor(prefix);
    expect(expectations.length).toBeGreaterThan(1);
    const file = await multiDocumentFile(`${prefix}all.yaml`, expectations.map(([f]) => f));
    const reports = await healthJson(['-f', file]);
    expect(reports.map((r) => [r.kind, r.name])).toEqual(expectations.map(([f]) => [kind, loadHealthFixture(f).metadata.name]));
    expect(reports.map((r) => r.status)).toEqual(expectations.map(([, status]) => status));
    reports.forEach((report, i) => {
      const mentions = expectations[i]?.[2];
      if (mentions !== undefined) expect(report.message).toContain(mentions);
    });
  });

  it('reaches Healthy, Progressing, Degraded and Suspended across those kinds in one file', async () => {
    const expectations = kinds.flatMap(([, prefix]) => expectationsFor(prefix));
    const file = await multiDocumentFile('all-kinds.yaml', expectations.map(([f]) => f));
    const reports = await healthJson(['-f', file]);
    expect(reports.map((r) => r.status)).toEqual(expectations.map(([, status]) => status));
    const reached = new Set<HealthStatus | null>(reports.map((r) => r.status));
    expect([...reached]).toEqual(expect.arrayContaining(['Healthy', 'Progressing', 'Degraded', 'Suspended']));
  });

  it('gives exactly { kind, name, status, message }, status null for a kind without a rule and no message when there is none', async () => {
    const file = await multiDocumentFile('mixed.yaml', ['configmap.yaml', 'deployment-healthy.yaml', 'job-suspended.yaml']);
    const io = await runCommand(registerHealthCommand, ['health', '-f', file, '-o', 'json']);
    expect(JSON.parse(io.out.text())).toEqual([
      { kind: 'ConfigMap', name: loadHealthFixture('configmap.yaml').metadata.name, status: null },
      { kind: 'Deployment', name: 'web', status: 'Healthy' },
      { kind: 'Job', name: loadHealthFixture('job-suspended.yaml').metadata.name, status: 'Suspended', message: 'job is suspended' },
    ]);
    expect(io.out.text()).toContain('"status": null');
    expect(io.out.text().split('\n')[2]).toBe('    "kind": "ConfigMap",');
  });

  it('reads JSON, a List, and stdin with -f -', async () => {
    const pod = loadHealthFixture('pod-crashloop.yaml');
    const pvc = loadHealthFixture('pvc-bound.yaml');
    const list = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [pod, pvc] });
    const jsonFile = path.join(dir, 'list.json');
    await writeFile(jsonFile, list);
    const expected = [
      { kind: 'Pod', status: 'Degraded' },
      { kind: 'PersistentVolumeClaim', status: 'Healthy' },
    ];
    expect(await healthJson(['-f', jsonFile])).toMatchObject(expected);
    expect(await healthJson(['-f', '-'], list)).toMatchObject(expected);
    expect(await healthJson(['-f', '-'], `${fixtureText('pod-crashloop.yaml')}\n---\n${fixtureText('pvc-bound.yaml')}`)).toMatchObject(expected);
    const itemsList = `apiVersion: v1\nkind: PodList\nitems:\n${[pod, pvc].map((o) => `- ${JSON.stringify(o)}`).join('\n')}\n`;
    expect(await healthJson(['-f', '-'], itemsList)).toMatchObject(expected);
  });

  it('prints [] for a file without objects', async () => {
    expect(await healthJson(['-f', '-'], '---\n# nothing\n')).toEqual([]);
  });
});

describe('capstan health -f FILE (table)', () => {
  it('prints KIND, NAME, HEALTH and MESSAGE, with <none> for no rule and no message, without colour off a terminal', async () => {
    const file = await multiDocumentFile('table.yaml', ['deployment-healthy.yaml', 'deployment-paused.yaml', 'configmap.yaml']);
    const io = await runCommand(registerHealthCommand, ['health', '-f', file]);
    expect(io.exitCode()).toBeUndefined();
    const configMap = loadHealthFixture('configmap.yaml').metadata.name ?? '';
    const nameWidth = Math.max('NAME'.length, 'web'.length, configMap.length);
    const row = (kind: string, name: string, health: string, message: string) =>
      `${kind.padEnd(10)}   ${name.padEnd(nameWidth)}   ${health.padEnd(9)}   ${message}`.trimEnd();
    expect(io.out.text()).toBe(
      [
        row('KIND', 'NAME', 'HEALTH', 'MESSAGE'),
        row('Deployment', 'web', 'Healthy', '<none>'),
        row('Deployment', 'web', 'Suspended', 'deployment is paused'),
        row('ConfigMap', configMap, '<none>', '<none>'),
        '',
      ].join('\n'),
    );
  });

  it('colours the health column with --color always', async () => {
    const file = await multiDocumentFile('colour.yaml', ['pod-crashloop.yaml']);
    const io = await runCommand(registerHealthCommand, ['health', '-f', file, '--color', 'always']);
    expect(io.out.text()).toContain('\u001b[31mDegraded\u001b[39m');
    const plain = await runCommand(registerHealthCommand, ['health', '-f', file, '--color', 'never']);
    expect(plain.out.text()).not.toContain('\u001b[');
  });

  it('says so on stderr when the file holds no objects', async () => {
    const io = await runCommand(registerHealthCommand, ['health', '-f', '-'], { stdin: '' });
    expect(io.out.text()).toBe('');
    expect(io.err.text()).toBe('no objects in <stdin>\n');
    expect(io.exitCode()).toBeUndefined();
  });
});

describe('capstan health: unreadable input', () => {
  it('exits 1 for a file that does not exist', async () => {
    const io = await runCommand(registerHealthCommand, ['health', '-f', path.join(dir, 'missing.yaml')]);
    expect(io.exitCode()).toBe(1);
    expect(io.err.text()).toMatch(/^cannot read .*missing\.yaml: .*ENOENT/);
    expect(io.out.text()).toBe('');
  });

  it('exits 1 with file:line: for malformed YAML, and for a document that is not an object', async () => {
    const bad = path.join(dir, 'bad.yaml');
    await writeFile(bad, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [oops\n');
    const io = await runCommand(registerHealthCommand, ['health', '-f', bad, '-o', 'json']);
    expect(io.exitCode()).toBe(1);
    expect(io.err.text()).toMatch(new RegExp(`^${escapeRegExp(bad)}:\\d+: `));
    expect(io.out.text()).toBe('');
    const notObject = await runCommand(registerHealthCommand, ['health', '-f', '-'], { stdin: '- just\n- a list\n' });
    expect(notObject.exitCode()).toBe(1);
    expect(notObject.err.text()).toContain('<stdin>: document 1: expected an object');
  });

  it('needs -f', async () => {
    const io = await runCommand(registerHealthCommand, ['health']);
    expect(io.exitCode()).toBe(1);
    expect(io.err.text()).toContain("required option '-f, --file <file>' not specified");
  });
});

describe('capstan health -f FILE --customizations DIR', () => {
  const custom = ['--customizations', customChecksDir];

  it('assesses every object of a multi-document file with the Lua checks of DIR, in input order', async () => {
    const file = await customObjectsFile('custom-all.yaml', customHealthExpectations.map(([f]) => f));
    const reports = await healthJson(['-f', file, ...custom]);
    expect(reports.map((r) => [r.kind, r.name])).toEqual(customHealthExpectations.map(([f]) => [loadCustomObject(f).kind, loadCustomObject(f).metadata.name]));
    expect(reports.map((r) => r.status)).toEqual(customHealthExpectations.map(([, status]) => status));
    reports.forEach((report, i) => {
      const mentions = customHealthExpectations[i]?.[2];
      if (mentions !== undefined) expect({ name: report.name, message: report.message }).toEqual({ name: report.name, message: expect.stringContaining(mentions) });
    });
  });

  it('prints exactly [{ kind, name, status, message }], status null where a script returns nothing', async () => {
    const file = await customObjectsFile('custom-shape.yaml', ['widget-failed.yaml', 'configmap-unchecked.yaml', 'rollout-healthy.yaml', 'schedule-stale.yaml']);
    const io = await runCommand(registerHealthCommand, ['health', '-f', file, ...custom, '-o', 'json']);
    expect(io.err.text()).toBe('');
    expect(JSON.parse(io.out.text())).toEqual([
      { kind: 'Widget', name: 'gear', status: 'Degraded', message: 'QuotaExceeded: no more than 3 gears per namespace' },
      { kind: 'ConfigMap', name: 'nginx-conf', status: null },
      { kind: 'Rollout', name: 'storefront', status: 'Healthy' },
      { kind: 'Schedule', name: 'weekly', status: 'Degraded', message: 'Last successful backup at 2001-09-09T01:46:40Z is older than 691200 seconds' },
    ]);
  });

  it('lets a script override a built-in kind only with --customizations', async () => {
    const file = await customObjectsFile('custom-override.yaml', ['deployment-paused-available.yaml', 'widget-provisioning.yaml']);
    expect(await healthJson(['-f', file])).toMatchObject([
      { kind: 'Deployment', status: 'Suspended' },
      { kind: 'Widget', status: 'Degraded' },
    ]);
    expect(await healthJson(['-f', file, ...custom])).toEqual([
      { kind: 'Deployment', name: 'frontend', status: 'Healthy', message: '3/3 replicas available' },
      { kind: 'Widget', name: 'flywheel', status: 'Progressing', message: 'Provisioning: waiting for the volume' },
    ]);
  });

  it('prints the table: KIND, NAME, HEALTH and MESSAGE', async () => {
    const file = await customObjectsFile('custom-table.yaml', ['widget-failed.yaml', 'database-paused.yaml', 'configmap-unchecked.yaml', 'configmap-missing-state.yaml']);
    const io = await runCommand(registerHealthCommand, ['health', '-f', file, ...custom]);
    expect(io.err.text()).toBe('');
    expect(io.exitCode()).toBeUndefined();
    const rows = [
      ['KIND', 'NAME', 'HEALTH', 'MESSAGE'],
      ['Widget', 'gear', 'Degraded', 'QuotaExceeded: no more than 3 gears per namespace'],
      ['Database', 'archive', 'Suspended', 'Database is paused'],
      ['ConfigMap', 'nginx-conf', '<none>', '<none>'],
      ['ConfigMap', 'seed-data', 'Missing', 'data.state is not set'],
    ];
    const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]?.length ?? 0)));
    const line = (row: readonly string[]) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('   ').trimEnd();
    expect(io.out.text()).toBe(`${rows.map(line).join('\n')}\n`);
  });

  it('gives an object whose script does not compile Unknown with the compile error, and still assesses the others', async () => {
    const file = await customObjectsFile('custom-compile-error.yaml', ['widget-ready.yaml', 'gizmo-ready.yaml', 'gadget-no-status.yaml', 'database-ready.yaml']);
    const io = await runCommand(registerHealthCommand, ['health', '-f', file, ...custom, '-o', 'json']);
    expect(io.err.text()).toBe('');
    expect(io.exitCode()).toBeUndefined();
    const reports = JSON.parse(io.out.text()) as ObjectHealthReport[];
    expect(reports.map((r) => [r.name, r.status])).toEqual([
      ['sprocket', 'Healthy'],
      ['gizmo-a', 'Unknown'],
      ['fresh-gadget', 'Unknown'],
      ['orders', 'Healthy'],
    ]);
    const gizmo = path.join(customChecksDir, 'broken.example.com', 'Gizmo', 'health.lua');
    expect(reports[1]?.message).toMatch(new RegExp(`^health check \\(${escapeRegExp(gizmo)}\\) failed: the script does not compile: health\\.lua:3: '}' expected \\(to close '\\{' at line 2\\)`));
    expect(reports[2]?.message).toContain('attempt to index a nil value');
  });

  it('exits 1, saying so on stderr, when DIR does not exist or is not a directory', async () => {
    const file = await customObjectsFile('custom-missing-dir.yaml', ['widget-ready.yaml']);
    const missing = path.join(dir, 'no-such-checks');
    const io = await runCommand(registerHealthCommand, ['health', '-f', file, '--customizations', missing, '-o', 'json']);
    expect(io.exitCode()).toBe(1);
    expect(io.out.text()).toBe('');
    expect(io.err.text()).toMatch(new RegExp(`^cannot read the health checks in ${escapeRegExp(missing)}: .*ENOENT`));
    const notDir = await runCommand(registerHealthCommand, ['health', '-f', file, '--customizations', file]);
    expect(notDir.exitCode()).toBe(1);
    expect(notDir.out.text()).toBe('');
    expect(notDir.err.text()).toContain('ENOTDIR');
  });
});

describe('capstan health through the real entry point', () => {
  it('assesses objects from stdin and exits 0 even when they are unhealthy', async () => {
    const result = await runCli(['health', '-f', '-', '-o', 'json'], { stdin: `${fixtureText('deployment-deadline-exceeded.yaml')}\n---\n${fixtureText('configmap.yaml')}` });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const reports = JSON.parse(result.stdout) as ObjectHealthReport[];
    expect(reports.map((r) => r.status)).toEqual(['Degraded', null]);
    expect(reports[0]?.message).toContain('ProgressDeadlineExceeded');
  }, 30_000);

  it('runs the Lua checks of --customizations', async () => {
    const stdin = ['certificate-expired.yaml', 'record-published.yaml', 'gizmo-ready.yaml'].map(customObjectText).join('\n---\n');
    const result = await runCli(['health', '-f', '-', '--customizations', customChecksDir, '-o', 'json'], { stdin });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      { kind: 'Certificate', name: 'legacy-tls', status: 'Degraded', message: 'Certificate expired on 2021-01-31T23:59:59Z' },
      { kind: 'Record', name: 'shop-www', status: 'Healthy', message: 'CNAME www.example.com -> shop.lb.example.net' },
      { kind: 'Gizmo', name: 'gizmo-a', status: 'Unknown', message: expect.stringContaining('does not compile') },
    ]);
  }, 30_000);

  it('exits 1 for unreadable input', async () => {
    const result = await runCli(['health', '-f', path.join(dir, 'missing.yaml')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('cannot read');
  }, 30_000);
});
