import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { runCli, runCommand } from './output/testing/run-command.js';
import { registerRenderCommand } from './render-command.js';

let root: string;
let good: string;
let broken: string;

const multiDocYaml = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: web
data:
  enabled: "yes"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
`;

const serviceJson = JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } });

const nestedYaml = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: deployer
`;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'capstan-render-cli-'));
  good = path.join(root, 'good');
  broken = path.join(root, 'broken');
  await mkdir(path.join(good, 'nested'), { recursive: true });
  await writeFile(path.join(good, 'app.yaml'), multiDocYaml);
  await writeFile(path.join(good, 'service.json'), serviceJson);
  await writeFile(path.join(good, 'nested', 'account.yaml'), nestedYaml);
  await writeFile(path.join(good, 'README.md'), '# not a manifest\n');
  await mkdir(broken);
  await writeFile(path.join(broken, 'ok.yaml'), nestedYaml);
  await writeFile(path.join(broken, 'bad.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const names = (objects: unknown[]) => objects.map((o) => {
  const obj = o as { kind: string; metadata: { name: string } };
  return `${obj.kind}/${obj.metadata.name}`;
});

describe('capstan render', () => {
  it('prints the objects of the directory as multi-document YAML, files in path order, exactly as written', async () => {
    const io = await runCommand(registerRenderCommand, ['render', good]);
    expect(io.err.text()).toBe('');
    expect(io.exitCode()).toBeUndefined();
    const documents = yaml.loadAll(io.out.text());
    expect(names(documents)).toEqual(['ConfigMap/settings', 'Deployment/web', 'Service/web']);
    expect(documents[0]).toEqual(yaml.load(multiDocYaml.split('---\n')[0] ?? ''));
    expect(documents[2]).toEqual(JSON.parse(serviceJson));
    // A string that YAML 1.1 readers (kubectl) would take for a boolean stays quoted.
    expect(io.out.text()).toContain("enabled: 'yes'");
    expect(io.out.text().split('\n').filter((l) => l === '---')).toHaveLength(2);
  });

  it('reads subdirectories with --recurse', async () => {
    const io = await runCommand(registerRenderCommand, ['render', good, '--recurse']);
    expect(names(yaml.loadAll(io.out.text()))).toEqual(['ConfigMap/settings', 'Deployment/web', 'ServiceAccount/deployer', 'Service/web']);
  });

  it('filters files with --include and --exclude', async () => {
    const included = await runCommand(registerRenderCommand, ['render', good, '--recurse', '--include', '**/*.yaml']);
    expect(names(yaml.loadAll(included.out.text()))).toEqual(['ConfigMap/settings', 'Deployment/web', 'ServiceAccount/deployer']);
    const excluded = await runCommand(registerRenderCommand, ['render', good, '--exclude', 'app.yaml']);
    expect(names(yaml.loadAll(excluded.out.text()))).toEqual(['Service/web']);
  });

  it('prints a v1 List with -o json', async () => {
    const io = await runCommand(registerRenderCommand, ['render', good, '-o', 'json']);
    const list = JSON.parse(io.out.text()) as { apiVersion: string; kind: string; items: unknown[] };
    expect(list.apiVersion).toBe('v1');
    expect(list.kind).toBe('List');
    expect(names(list.items)).toEqual(['ConfigMap/settings', 'Deployment/web', 'Service/web']);
    expect(io.out.text()).toMatch(/^\{\n {2}"apiVersion": "v1",\n {2}"kind": "List",/);
  });

  it('prints an empty List, or nothing as YAML, for a directory without manifests', async () => {
    const empty = path.join(root, 'empty');
    await mkdir(empty, { recursive: true });
    expect(JSON.parse((await runCommand(registerRenderCommand, ['render', empty, '-o', 'json'])).out.text())).toEqual({ apiVersion: 'v1', kind: 'List', items: [] });
    const io = await runCommand(registerRenderCommand, ['render', empty]);
    expect(io.out.text()).toBe('');
    expect(io.exitCode()).toBeUndefined();
  });

  it('reports each render error as file:line: message on stderr, prints no objects, and sets exit code 1', async () => {
    const io = await runCommand(registerRenderCommand, ['render', broken]);
    expect(io.exitCode()).toBe(1);
    expect(io.out.text()).toBe('');
    expect(io.err.text()).toMatch(new RegExp(`^${escapeRegExp(path.join(broken, 'bad.yaml'))}:\\d+: .+\\n$`));
  });

  it('bounds the manifests as the controller does, with --max-manifest-bytes', async () => {
    const io = await runCommand(registerRenderCommand, ['render', good, '--recurse', '--max-manifest-bytes', '100']);
    expect(io.exitCode()).toBe(1);
    expect(io.err.text()).toMatch(/: the source's manifests add up to \d+ bytes, more than the limit of 100\n$/);
    expect((await runCommand(registerRenderCommand, ['render', good, '--recurse', '--max-manifest-bytes', '1Mi'])).exitCode()).toBeUndefined();
    const bad = await runCommand(registerRenderCommand, ['render', good, '--max-manifest-bytes', 'lots']);
    expect(bad.exitCode()).toBe(1);
    expect(bad.err.text()).toContain('expected a size such as 10Mi');
  });

  it('reports a directory that does not exist', async () => {
    const io = await runCommand(registerRenderCommand, ['render', path.join(root, 'missing')]);
    expect(io.exitCode()).toBe(1);
    expect(io.err.text()).toContain('does not exist');
  });

  it('rejects an output format it does not offer as a usage error', async () => {
    const io = await runCommand(registerRenderCommand, ['render', good, '-o', 'table']);
    expect(io.exitCode()).toBe(1);
    expect(io.err.text()).toContain('use one of yaml, json');
    expect(io.out.text()).toBe('');
  });

  it('works through the real entry point', async () => {
    const ok = await runCli(['render', good, '--recurse', '-o', 'json']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(names((JSON.parse(ok.stdout) as { items: unknown[] }).items)).toEqual(['ConfigMap/settings', 'Deployment/web', 'ServiceAccount/deployer', 'Service/web']);
    const failed = await runCli(['render', broken]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toMatch(/bad\.yaml:\d+: /);
  }, 30_000);
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
