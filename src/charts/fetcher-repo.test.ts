// The fetcher against a real chart repository: charts made and indexed by the real helm,
// served over loopback HTTP.
import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { makeTempDir, removeTempDir } from '../git/testing/temp-dir.js';
import { ChartFetcher } from './fetcher.js';
import { indexRepo, packageChart, serveDirectory, type ServedDirectory } from './testing/chart-repo.js';
import { helm } from './testing/tools.js';
import type { ChartFetcherOptions } from './types.js';

const versions = ['1.0.0', '1.2.0', '1.2.3', '2.0.0-beta.1'];

let root: string;
let home: string;
let repoDir: string;
let server: ServedDirectory;
let archives: Map<string, string>;
let caches = 0;

function sha256(file: string): string {
  return `sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;
}

function fetcher(options: Partial<ChartFetcherOptions> = {}): { fetcher: ChartFetcher; cacheDir: string } {
  const cacheDir = join(root, `cache-${++caches}`);
  return { fetcher: new ChartFetcher({ cacheDir, ...options }), cacheDir };
}

/** A copy of the repository under its own path on the same server. */
function copyRepo(name: string, change?: (dir: string) => void): string {
  const dir = join(repoDir, name);
  mkdirSync(dir);
  for (const file of readdirSync(repoDir)) if (file.endsWith('.tgz') || file === 'index.yaml') copyFileSync(join(repoDir, file), join(dir, file));
  change?.(dir);
  return `${server.url}/${name}`;
}

beforeAll(async () => {
  root = makeTempDir('charts-repo');
  home = join(root, 'helm-home');
  repoDir = join(root, 'repo');
  mkdirSync(repoDir);
  const work = join(root, 'work');
  mkdirSync(work);
  archives = await packageChart({ home, workDir: work, outDir: repoDir, name: 'demo', versions });
  await indexRepo(home, repoDir);
  server = await serveDirectory(repoDir);
}, 120_000);

afterAll(async () => {
  // Also after a failed beforeAll (a missing helm, say).
  await (server as ServedDirectory | undefined)?.close();
  removeTempDir(root);
});

describe('ChartFetcher with an HTTP chart repository', () => {
  it('resolves an exact version to its digest and fetches a read-only archive named by it', async () => {
    const { fetcher: charts, cacheDir } = fetcher();
    const resolved = await charts.resolve({ repoURL: server.url, chart: 'demo', targetRevision: '1.2.0' });
    const archive = archives.get('1.2.0') ?? '';
    expect(resolved).toEqual({ ok: true, version: '1.2.0', digest: sha256(archive) });
    if (!resolved.ok) return;
    const fetched = await charts.fetch({ repoURL: server.url, chart: 'demo', ...resolved });
    expect(fetched).toEqual({ ok: true, archive: join(cacheDir, 'charts', `sha256-${resolved.digest.slice(7)}.tgz`) });
    if (!fetched.ok) return;
    expect(readFileSync(fetched.archive)).toEqual(readFileSync(archive));
    expect(statSync(fetched.archive).mode & 0o777).toBe(0o444);
    // helm reads what was fetched.
    expect(await helm(home, ['show', 'chart', fetched.archive])).toMatch(/^version: 1\.2\.0$/m);
  });

  it('resolves ranges to the highest match, and prereleases only when asked for', async () => {
    const { fetcher: charts } = fetcher();
    const pick = async (targetRevision?: string) => {
      const r = await charts.resolve({ repoURL: `${server.url}/`, chart: 'demo', targetRevision });
      return r.ok ? r.version : r.code;
    };
    expect(await pick('1.2.*')).toBe('1.2.3');
    expect(await pick('^1.0')).toBe('1.2.3');
    expect(await pick('>=1.0 <1.2.3')).toBe('1.2.0');
    expect(await pick('~1.0')).toBe('1.0.0');
    expect(await pick(undefined)).toBe('1.2.3');
    expect(await pick('*')).toBe('1.2.3');
    expect(await pick('>=2.0.0-0')).toBe('2.0.0-beta.1');
    expect(await pick('3.x')).toBe('ChartNotFound');
    expect(await pick('latest')).toBe('InvalidChartRef');
  });

  it('reads index.yaml once per TTL, however many resolve at once', async () => {
    const { fetcher: charts } = fetcher();
    const before = server.requests.filter((p) => p === '/index.yaml').length;
    const all = await Promise.all(['1.0.0', '^1', '1.2.*', '~1.2.0'].map((targetRevision) => charts.resolve({ repoURL: server.url, chart: 'demo', targetRevision })));
    expect(all.map((r) => r.ok && r.version)).toEqual(['1.0.0', '1.2.3', '1.2.3', '1.2.3']);
    await charts.resolve({ repoURL: server.url, chart: 'demo', targetRevision: '1.2.0' });
    expect(server.requests.filter((p) => p === '/index.yaml').length - before).toBe(1);
    await charts.resolve({ repoURL: server.url, chart: 'demo', targetRevision: '1.2.0' }, { force: true });
    expect(server.requests.filter((p) => p === '/index.yaml').length - before).toBe(2);
  });

  it('hands out a kept archive without downloading it again', async () => {
    const { fetcher: charts } = fetcher();
    const resolved = await charts.resolve({ repoURL: server.url, chart: 'demo', targetRevision: '1.0.0' });
    if (!resolved.ok) throw new Error(resolved.message);
    const downloads = () => server.requests.filter((p) => p === '/demo-1.0.0.tgz').length;
    const before = downloads();
    const [a, b] = await Promise.all([1, 2].map(() => charts.fetch({ repoURL: server.url, chart: 'demo', ...resolved })));
    const c = await charts.fetch({ repoURL: server.url, chart: 'demo', ...resolved });
    expect(a).toEqual(b);
    expect(c).toEqual(a);
    expect(downloads() - before).toBe(1);
  });

  it('refuses an archive whose digest is not the one in the index, and keeps nothing of it', async () => {
    const repoURL = copyRepo('tampered', (dir) => {
      appendFileSync(join(dir, 'demo-1.2.3.tgz'), 'tampered');
    });
    const { fetcher: charts, cacheDir } = fetcher();
    const resolved = await charts.resolve({ repoURL, chart: 'demo', targetRevision: '1.2.3' });
    expect(resolved).toEqual({ ok: true, version: '1.2.3', digest: sha256(archives.get('1.2.3') ?? '') });
    if (!resolved.ok) return;
    const fetched = await charts.fetch({ repoURL, chart: 'demo', ...resolved });
    expect(fetched).toMatchObject({ ok: false, code: 'ChartRepoError', message: expect.stringContaining('digest mismatch') });
    expect(readdirSync(join(cacheDir, 'charts'))).toEqual([]);
  });

  it('refuses a digest the index does not give for that version', async () => {
    const { fetcher: charts } = fetcher();
    const fetched = await charts.fetch({ repoURL: server.url, chart: 'demo', version: '1.2.3', digest: sha256(archives.get('1.0.0') ?? '') });
    expect(fetched).toMatchObject({ ok: false, code: 'ChartRepoError', message: expect.stringContaining('published again') });
  });

  it('takes the digest from the archive when the index gives none', async () => {
    const repoURL = copyRepo('no-digests', (dir) => {
      const index = readFileSync(join(dir, 'index.yaml'), 'utf8');
      writeFileSync(join(dir, 'index.yaml'), index.replace(/^\s*digest: .*$/gm, ''));
    });
    const { fetcher: charts } = fetcher();
    const resolved = await charts.resolve({ repoURL, chart: 'demo', targetRevision: '1.0.0' });
    expect(resolved).toEqual({ ok: true, version: '1.0.0', digest: sha256(archives.get('1.0.0') ?? '') });
    if (!resolved.ok) return;
    expect(await charts.fetch({ repoURL, chart: 'demo', ...resolved })).toMatchObject({ ok: true });
  });

  it('says when the chart or the version is not there', async () => {
    const { fetcher: charts } = fetcher();
    expect(await charts.resolve({ repoURL: server.url, chart: 'missing' })).toMatchObject({ ok: false, code: 'ChartNotFound', message: expect.stringContaining('chart missing is not in') });
    expect(await charts.resolve({ repoURL: server.url, chart: 'demo', targetRevision: '9.9.9' })).toMatchObject({ ok: false, code: 'ChartNotFound' });
    expect(await charts.fetch({ repoURL: server.url, chart: 'demo', version: '9.9.9', digest: `sha256:${'0'.repeat(64)}` })).toMatchObject({ ok: false, code: 'ChartNotFound' });
    expect(await charts.resolve({ repoURL: `${server.url}/nowhere`, chart: 'demo' })).toMatchObject({ ok: false, code: 'ChartRepoError', message: expect.stringContaining('HTTP 404') });
  });

  it('refuses an index.yaml larger than the limit, declared or streamed', async () => {
    const { fetcher: charts } = fetcher({ maxIndexBytes: 200 });
    expect(await charts.resolve({ repoURL: server.url, chart: 'demo' })).toMatchObject({ ok: false, code: 'ChartRepoError', message: expect.stringContaining('larger than 200 bytes') });
    server.intercept = (req, res) => {
      if (req.url !== '/streamed/index.yaml') return false;
      res.writeHead(200, { 'content-type': 'application/yaml' });
      const line = `# ${'x'.repeat(1000)}\n`;
      let sent = 0;
      const more = (): void => {
        while (sent < 100 && res.write(line)) sent += 1;
        if (sent >= 100) res.end();
        else res.once('drain', more);
      };
      more();
      return true;
    };
    try {
      const streamed = fetcher({ maxIndexBytes: 50_000 }).fetcher;
      expect(await streamed.resolve({ repoURL: `${server.url}/streamed`, chart: 'demo' })).toMatchObject({ ok: false, code: 'ChartRepoError', message: expect.stringContaining('larger than 50000 bytes') });
    } finally {
      server.intercept = undefined;
    }
  });

  it('refuses an archive larger than maxChartBytes', async () => {
    const repoURL = copyRepo('no-digests-big', (dir) => {
      const index = readFileSync(join(dir, 'index.yaml'), 'utf8');
      writeFileSync(join(dir, 'index.yaml'), index.replace(/^\s*digest: .*$/gm, ''));
    });
    const { fetcher: charts, cacheDir } = fetcher({ maxChartBytes: 1000 });
    expect(await charts.resolve({ repoURL, chart: 'demo', targetRevision: '1.0.0' })).toMatchObject({ ok: false, code: 'ChartRepoError', message: expect.stringContaining('larger than 1000 bytes') });
    const fetched = await charts.fetch({ repoURL: server.url, chart: 'demo', version: '1.0.0', digest: sha256(archives.get('1.0.0') ?? '') });
    expect(fetched).toMatchObject({ ok: false, code: 'ChartRepoError', message: expect.stringContaining('larger than 1000 bytes') });
    expect(readdirSync(join(cacheDir, 'charts'))).toEqual([]);
  });

  it('gives up on a repository that does not answer in time', async () => {
    server.intercept = (req) => req.url === '/silent/index.yaml';
    try {
      const { fetcher: charts } = fetcher({ requestTimeoutMs: 300 });
      expect(await charts.resolve({ repoURL: `${server.url}/silent`, chart: 'demo' })).toMatchObject({ ok: false, code: 'ChartRepoError', message: expect.stringContaining('no answer within') });
    } finally {
      server.intercept = undefined;
    }
  });

  it('keeps at most maxArchives archives, least recently used first', async () => {
    const { fetcher: charts, cacheDir } = fetcher({ maxArchives: 2, archiveInUseMs: 0 });
    const kept: string[] = [];
    for (const version of ['1.0.0', '1.2.0', '1.2.3']) {
      const resolved = await charts.resolve({ repoURL: server.url, chart: 'demo', targetRevision: version });
      if (!resolved.ok) throw new Error(resolved.message);
      const fetched = await charts.fetch({ repoURL: server.url, chart: 'demo', ...resolved });
      if (!fetched.ok) throw new Error(fetched.message);
      kept.push(fetched.archive);
    }
    expect(readdirSync(join(cacheDir, 'charts')).sort()).toEqual(kept.slice(1).map((p) => p.slice(p.lastIndexOf('/') + 1)).sort());
  });

  it('refuses credentials in the repoURL without repeating them', async () => {
    const { fetcher: charts } = fetcher();
    const url = server.url.replace('http://', 'http://user:s3cret@');
    const resolved = await charts.resolve({ repoURL: url, chart: 'demo' });
    expect(resolved).toMatchObject({ ok: false, code: 'InvalidChartRef' });
    expect(JSON.stringify(resolved)).not.toContain('s3cret');
  });
});
