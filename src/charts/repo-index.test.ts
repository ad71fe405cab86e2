import { describe, expect, it } from '@jest/globals';
import { chartRepoOf, type HttpChartRepo } from './ref.js';
import { indexUrlOf, parseIndex, resolveChartUrl, type RepoIndex } from './repo-index.js';

function repo(url: string): HttpChartRepo {
  const parsed = chartRepoOf({ repoURL: url, chart: 'demo' });
  if (!parsed.ok || parsed.repo.kind !== 'http') throw new Error('not an http repository');
  return parsed.repo;
}

const base = repo('https://charts.example.com/stable?sig=abc');
const digest = 'a'.repeat(64);

function read(text: string, maxNodes = 10_000): RepoIndex {
  const result = parseIndex(text, base, { maxNodes });
  if (!result.ok) throw new Error(result.message);
  return result.index;
}

describe('parseIndex', () => {
  it('keeps versions as written, with digests and absolute URLs', () => {
    const index = read(`apiVersion: v1
entries:
  demo:
  - version: 1.10
    digest: ${digest}
    urls: [demo-1.10.tgz, "https://mirror.example.com/demo-1.10.tgz?x=1"]
  - version: 1.2.0
    digest: SHA256:${'B'.repeat(64)}
    urls: [sub/demo-1.2.0.tgz]
  - version: not-a-version
    urls: [x.tgz]
  - version: 1.0.0
    digest: md5:0123
    urls: [ftp://x/demo.tgz, "/abs/demo-1.0.0.tgz"]
  - just text
`);
    expect(index.charts.get('demo')).toEqual([
      { version: '1.10', digest: `sha256:${digest}`, urls: ['https://charts.example.com/stable/demo-1.10.tgz?sig=abc', 'https://mirror.example.com/demo-1.10.tgz?x=1'] },
      { version: '1.2.0', digest: `sha256:${'b'.repeat(64)}`, urls: ['https://charts.example.com/stable/sub/demo-1.2.0.tgz?sig=abc'] },
      { version: '1.0.0', digest: undefined, badDigest: 'md5:0123', urls: ['https://charts.example.com/abs/demo-1.0.0.tgz?sig=abc'] },
    ]);
  });

  it('needs an apiVersion and mappings', () => {
    expect(parseIndex('entries: {}', base, { maxNodes: 100 })).toMatchObject({ ok: false, code: 'ChartRepoError', message: expect.stringContaining('apiVersion') });
    expect(parseIndex('- a', base, { maxNodes: 100 })).toMatchObject({ ok: false, message: expect.stringContaining('not a mapping') });
    expect(parseIndex('apiVersion: v1\nentries: [1]', base, { maxNodes: 100 })).toMatchObject({ ok: false, message: expect.stringContaining('entries') });
    expect(parseIndex('apiVersion: v1\nentries: {a: [}', base, { maxNodes: 100 })).toMatchObject({ ok: false, message: expect.stringContaining('cannot be read') });
    expect(read('apiVersion: v1').charts.size).toBe(0);
  });

  it('reads no YAML types, and a repeated key keeps its last value', () => {
    const index = read(`apiVersion: v1\nentries:\n  demo:\n  - version: 1.0.0\n    version: 2.0.0\n    digest: 0x10\n    urls: [true]\n`);
    expect(index.charts.get('demo')).toEqual([{ version: '2.0.0', digest: undefined, badDigest: '0x10', urls: ['https://charts.example.com/stable/true?sig=abc'] }]);
    expect(parseIndex('apiVersion: v1\nentries:\n  demo: !!binary aGVsbG8=\n', base, { maxNodes: 100 })).toMatchObject({ ok: false, message: expect.stringContaining('unknown tag') });
  });

  it('stops at the node limit', () => {
    const many = `apiVersion: v1\nentries:\n  demo: [${Array.from({ length: 200 }, () => '{version: 1.0.0}').join(',')}]\n`;
    expect(parseIndex(many, base, { maxNodes: 100 })).toMatchObject({ ok: false, message: expect.stringContaining('more than 100 YAML nodes') });
  });

  it('counts aliased version lists each time they are walked', () => {
    // 2,000 charts sharing one list of 1,000 versions: two million versions to walk, in few nodes.
    const list = `[${Array.from({ length: 1000 }, (_, i) => `{version: 1.0.${i}}`).join(',')}]`;
    const charts = Array.from({ length: 2000 }, (_, i) => `  c${i}: *v`).join('\n');
    const text = `apiVersion: v1\nshared: &v ${list}\nentries:\n${charts}\n`;
    expect(parseIndex(text, base, { maxNodes: 1_000_000 })).toMatchObject({ ok: false, message: expect.stringContaining('more than 500000 chart versions') });
  });
});

describe('resolveChartUrl', () => {
  it('resolves as Helm does: against the repository as a directory, with its query', () => {
    const plain = new URL('https://charts.example.com/stable');
    expect(resolveChartUrl(plain, 'demo-1.0.0.tgz')).toBe('https://charts.example.com/stable/demo-1.0.0.tgz');
    expect(resolveChartUrl(new URL('https://charts.example.com/stable/'), '../other/demo.tgz')).toBe('https://charts.example.com/other/demo.tgz');
    expect(resolveChartUrl(base.base, 'demo.tgz?own=1')).toBe('https://charts.example.com/stable/demo.tgz?sig=abc');
    expect(resolveChartUrl(plain, 'http://elsewhere.example.com/demo.tgz')).toBe('http://elsewhere.example.com/demo.tgz');
    for (const refused of ['file:///etc/passwd', 'oci://registry/demo', 'javascript:alert(1)']) expect(resolveChartUrl(plain, refused)).toBeUndefined();
  });

  it('finds index.yaml under the repository path, keeping its query', () => {
    expect(indexUrlOf(base)).toBe('https://charts.example.com/stable/index.yaml?sig=abc');
    expect(indexUrlOf(repo('http://127.0.0.1:8080/'))).toBe('http://127.0.0.1:8080/index.yaml');
  });
});
