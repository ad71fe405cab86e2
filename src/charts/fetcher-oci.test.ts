// The fetcher against a real OCI registry (go-containerregistry's registry) holding charts
// pushed by the real helm; and through a proxy that asks for anonymous tokens and pages tags.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { makeTempDir, removeTempDir } from '../git/testing/temp-dir.js';
import { ChartFetcher } from './fetcher.js';
import { packageChart } from './testing/chart-repo.js';
import { helmPush, startRegistry, startRegistryProxy, type RegistryProxy, type TestRegistry } from './testing/registry.js';
import { helm } from './testing/tools.js';

// 1.3.0+build.1 is pushed as tag 1.3.0_build.1 (Helm's convention for '+').
const versions = ['1.0.0', '1.2.0', '1.2.3', '1.3.0+build.1', '2.0.0-rc.1'];

let root: string;
let home: string;
let registry: TestRegistry;
let proxy: RegistryProxy;
let archives: Map<string, string>;
let caches = 0;

function sha256(file: string): string {
  return `sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;
}

function newFetcher(): ChartFetcher {
  return new ChartFetcher({ cacheDir: join(root, `cache-${++caches}`) });
}

beforeAll(async () => {
  root = makeTempDir('charts-oci');
  home = join(root, 'helm-home');
  const work = join(root, 'work');
  const out = join(root, 'out');
  mkdirSync(work);
  mkdirSync(out);
  registry = await startRegistry();
  archives = await packageChart({ home, workDir: work, outDir: out, name: 'demo', versions });
  for (const archive of archives.values()) await helmPush(home, archive, `oci://${registry.host}/charts`);
  proxy = await startRegistryProxy(registry.host, { pageSize: 2 });
}, 120_000);

afterAll(async () => {
  // Also after a failed beforeAll (a missing binary, say).
  await (proxy as RegistryProxy | undefined)?.close();
  await (registry as TestRegistry | undefined)?.stop();
  removeTempDir(root);
});

describe('ChartFetcher with an OCI registry', () => {
  it('resolves an exact version to its chart layer digest and fetches that blob', async () => {
    const charts = newFetcher();
    const ref = { repoURL: `oci://${registry.host}/charts`, chart: 'demo' };
    const resolved = await charts.resolve({ ...ref, targetRevision: '1.2.0' });
    const archive = archives.get('1.2.0') ?? '';
    expect(resolved).toEqual({ ok: true, version: '1.2.0', digest: sha256(archive) });
    if (!resolved.ok) return;
    const fetched = await charts.fetch({ ...ref, ...resolved });
    if (!fetched.ok) throw new Error(fetched.message);
    expect(readFileSync(fetched.archive)).toEqual(readFileSync(archive));
    expect(await helm(home, ['show', 'chart', fetched.archive])).toMatch(/^version: 1\.2\.0$/m);
  });

  it("resolves ranges over the tags, reading '_' as '+'", async () => {
    const charts = newFetcher();
    const pick = async (targetRevision?: string) => {
      const r = await charts.resolve({ repoURL: `oci://${registry.host}/charts`, chart: 'demo', targetRevision });
      return r.ok ? r.version : r.code;
    };
    expect(await pick('~1.2.0')).toBe('1.2.3');
    expect(await pick('^1.0')).toBe('1.3.0+build.1');
    expect(await pick('')).toBe('1.3.0+build.1');
    expect(await pick('>=1.0 <1.2.3')).toBe('1.2.0');
    expect(await pick('>=2.0.0-0')).toBe('2.0.0-rc.1');
    expect(await pick('3.x')).toBe('ChartNotFound');
    const resolved = await charts.resolve({ repoURL: `oci://${registry.host}/charts`, chart: 'demo', targetRevision: '1.3.*' });
    if (!resolved.ok) throw new Error(resolved.message);
    expect(resolved.digest).toBe(sha256(archives.get('1.3.0+build.1') ?? ''));
    const fetched = await charts.fetch({ repoURL: `oci://${registry.host}/charts`, chart: 'demo', ...resolved });
    expect(fetched).toMatchObject({ ok: true });
  });

  it('takes a repoURL without a scheme, as Argo CD does', async () => {
    expect(await newFetcher().resolve({ repoURL: `${registry.host}/charts`, chart: 'demo', targetRevision: '1.0.0' })).toEqual({
      ok: true,
      version: '1.0.0',
      digest: sha256(archives.get('1.0.0') ?? ''),
    });
  });

  it('says when the chart or the tag is not there', async () => {
    const charts = newFetcher();
    expect(await charts.resolve({ repoURL: `oci://${registry.host}/charts`, chart: 'nope' })).toMatchObject({ ok: false, code: 'ChartNotFound' });
    expect(await charts.resolve({ repoURL: `oci://${registry.host}/charts`, chart: 'demo', targetRevision: '9.9.9' })).toMatchObject({ ok: false, code: 'ChartNotFound' });
    expect(await charts.fetch({ repoURL: `oci://${registry.host}/charts`, chart: 'demo', version: '1.0.0', digest: sha256(archives.get('1.2.0') ?? '') })).toMatchObject({
      ok: false,
      code: 'ChartRepoError',
      message: expect.stringContaining('published again'),
    });
  });

  it('refuses a chart layer larger than maxChartBytes before downloading it', async () => {
    const charts = new ChartFetcher({ cacheDir: join(root, `cache-${++caches}`), maxChartBytes: 1000 });
    expect(await charts.resolve({ repoURL: `oci://${registry.host}/charts`, chart: 'demo', targetRevision: '1.0.0' })).toMatchObject({
      ok: false,
      code: 'ChartRepoError',
      message: expect.stringContaining('more than the 1000 allowed'),
    });
  });

  it('gets an anonymous Bearer token when challenged, and follows tag pages', async () => {
    const charts = newFetcher();
    const ref = { repoURL: `oci://${proxy.host}/charts`, chart: 'demo' };
    const resolved = await charts.resolve({ ...ref, targetRevision: '~1.2' });
    expect(resolved).toEqual({ ok: true, version: '1.2.3', digest: sha256(archives.get('1.2.3') ?? '') });
    if (!resolved.ok) return;
    const fetched = await charts.fetch({ ...ref, ...resolved });
    if (!fetched.ok) throw new Error(fetched.message);
    expect(readFileSync(fetched.archive)).toEqual(readFileSync(archives.get('1.2.3') ?? ''));
    expect(proxy.requests.filter((r) => r.startsWith('GET /token')).length).toBe(1);
    expect(proxy.requests).toContain('GET /token?service=test-registry&scope=repository%3Acharts%2Fdemo%3Apull');
    // Five tags in pages of two.
    expect(proxy.requests.filter((r) => r.startsWith('GET /v2/charts/demo/tags/list'))).toEqual([
      'GET /v2/charts/demo/tags/list',
      'GET /v2/charts/demo/tags/list',
      'GET /v2/charts/demo/tags/list?n=2&last=1.2.0',
      'GET /v2/charts/demo/tags/list?n=2&last=1.3.0_build.1',
    ]);
    expect(new Set(proxy.tokensSeen).size).toBe(1);
  });
});
