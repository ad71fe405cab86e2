// The bounds of one render as a whole: entries walked, errors kept, objects declared, and the
// expansion budget shared by every file of a source. (Single hostile files: test/hostile/yaml.)
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { renderDirectory } from './directory.js';
import { parseManifests } from './parse.js';
import { DEFAULT_RENDER_LIMITS, MAX_RENDER_ERRORS } from './types.js';

let root: string;
let next = 0;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'capstan-limits-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function directory(files: Record<string, string>): Promise<string> {
  const dir = path.join(root, `d${++next}`);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  await mkdir(dir, { recursive: true });
  return dir;
}

const configMap = (name: string, extra = ''): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}`;

describe('the defaults', () => {
  it('bound a source at 10 MiB of manifests, 60 MiB once read, 3 MiB an object, 10,000 objects and 20,000 entries', () => {
    expect(DEFAULT_RENDER_LIMITS).toEqual({
      maxManifestBytes: 10 * 1024 * 1024, maxFileBytes: 10 * 1024 * 1024, maxExpandedBytes: 60 * 1024 * 1024, maxObjectBytes: 3 * 1024 * 1024,
      maxObjects: 10_000, maxEntries: 20_000,
    });
  });
});

describe('entries walked', () => {
  it('refuses a source with more files and directories than the limit, counting every entry', async () => {
    const files = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`sub/f${i}.yaml`, configMap(`f${i}`)]));
    const dir = await directory({ ...files, 'README.md': 'not a manifest' });
    // 1 directory, 12 manifests and a README: 14 entries.
    expect((await renderDirectory(dir, '.', { recurse: true, limits: { maxEntries: 14 } })).ok).toBe(true);
    expect(await renderDirectory(dir, '.', { recurse: true, limits: { maxEntries: 13 } })).toEqual({
      ok: false, errors: [{ code: 'TooLarge', file: '.', message: 'the source holds more than the limit of 13 files and directories' }],
    });
  });

  it('ends a walk that symlinks would make exponential', async () => {
    // Each level links to the next one ten times: 10^6 paths from a few dozen entries.
    const dir = await directory({ 'l6/a.yaml': configMap('a') });
    for (let level = 5; level >= 0; level--) {
      await mkdir(path.join(dir, `l${level}`), { recursive: true });
      for (let i = 0; i < 10; i++) await symlink(path.join(dir, `l${level + 1}`), path.join(dir, `l${level}`, `to${i}`));
    }
    const result = await renderDirectory(dir, 'l0', { recurse: true, limits: { maxEntries: 2000 } });
    expect(result).toEqual({ ok: false, errors: [{ code: 'TooLarge', file: 'l0', message: 'the source holds more than the limit of 2000 files and directories' }] });
  });
});

describe('errors kept', () => {
  it(`reports at most ${MAX_RENDER_ERRORS} errors and stops reading there`, async () => {
    const text = Array.from({ length: 5000 }, (_, i) => `token-${i}`).join('\n---\n');
    const result = parseManifests(text, 'x.yaml', 'yaml');
    if (result.ok) throw new Error('expected errors');
    expect(result.errors).toHaveLength(MAX_RENDER_ERRORS);
    expect(result.errors[0]?.message).toBe('document 1: expected an object with apiVersion, kind and metadata, found a string of 7 characters');
    const files = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`f${String(i).padStart(3, '0')}.yaml`, 'x: [unclosed\n']));
    const all = await renderDirectory(await directory(files), '.');
    expect(all.ok ? [] : all.errors).toHaveLength(MAX_RENDER_ERRORS);
  });

  it('keeps at most that many errors of one List', () => {
    const items = Array.from({ length: 1000 }, () => '  - {apiVersion: v1, kind: Secret}').join('\n');
    const result = parseManifests(`apiVersion: v1\nkind: List\nitems:\n${items}\n`, 'x.yaml', 'yaml');
    expect(result.ok ? [] : result.errors).toHaveLength(MAX_RENDER_ERRORS);
  });
});

describe('objects declared', () => {
  it('stops reading a file once it declares more objects than the limit', async () => {
    const text = Array.from({ length: 30 }, (_, i) => configMap(`c${i}`)).join('---\n');
    const dir = await directory({ 'a.yaml': text, 'b.yaml': configMap('b') });
    expect(await renderDirectory(dir, '.', { limits: { maxObjects: 20 } })).toEqual({
      ok: false, errors: [{ code: 'TooLarge', file: '.', message: 'the source declares more than the limit of 20 objects' }],
    });
  });
});

describe('the expansion budget', () => {
  it('is shared by every file of the source', async () => {
    const data = `data:\n  v: "${'x'.repeat(3000)}"\n`;
    const dir = await directory({ 'a.yaml': configMap('a', data), 'b.yaml': configMap('b', data), 'c.yaml': configMap('c', data) });
    expect((await renderDirectory(dir, '.', { limits: { maxExpandedBytes: 12_000 } })).ok).toBe(true);
    const result = await renderDirectory(dir, '.', { limits: { maxExpandedBytes: 7_000 } });
    expect(result.ok ? [] : result.errors.map((e) => [e.code, e.file])).toEqual([['TooLarge', 'c.yaml']]);
  });

  it('counts what the parser builds before anything is copied', () => {
    // 300,000 empty lists in 900 KB: 19 MB as V8 holds them, refused while being read.
    const text = configMap('many', `v: [${Array(300_000).fill('[]').join(',')}]\n`);
    expect(parseManifests(text, 'x.yaml', 'yaml', { maxExpandedBytes: 10 * 1024 * 1024 })).toEqual({
      ok: false, errors: [{ code: 'TooLarge', file: 'x.yaml', document: 1, message: 'document 1: takes more than 10485760 bytes once read' }], budgetSpent: true,
    });
  });

  it('follows --max-manifest-bytes: six times the manifest bound', async () => {
    const dir = await directory({ 'a.yaml': configMap('a', `v: [${Array(2_000).fill('[]').join(',')}]\n`) });
    // About 6 KB on disk, 128 KB once read.
    expect((await renderDirectory(dir, '.', { limits: { maxManifestBytes: 30_000 } })).ok).toBe(true);
    const result = await renderDirectory(dir, '.', { limits: { maxManifestBytes: 20_000 } });
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual(['document 1: takes more than 120000 bytes once read']);
  });
});

describe('the size of one object', () => {
  it('refuses an object larger as JSON than the API server takes in one request (3 MiB), naming file and object', async () => {
    const dir = await directory({ 'big.yaml': configMap('big', `data:\n  v: "${'x'.repeat(3 * 1024 * 1024)}"\n`), 'ok.yaml': configMap('ok') });
    expect(await renderDirectory(dir, '.')).toEqual({
      ok: false, errors: [{ code: 'TooLarge', file: 'big.yaml', message: 'v1 ConfigMap big is 3145808 bytes as JSON, more than the 3145728 the API server takes in one request' }],
    });
  });
});

describe('bombs in several files', () => {
  it('reports each file whose aliases are excessive, and goes on to the next', async () => {
    const bomb = (name: string) => `${configMap(name)}x:\n  l0: &l0 {}\n${Array.from({ length: 7 }, (_, i) => `  l${i + 1}: &l${i + 1} [${Array(10).fill(`*l${i}`).join(',')}]`).join('\n')}\n`;
    const dir = await directory({ 'a.yaml': bomb('a'), 'b.yaml': configMap('b'), 'c.yaml': bomb('c') });
    const result = await renderDirectory(dir, '.');
    expect(result.ok ? [] : result.errors.map((e) => [e.code, e.file, e.message.slice(0, 35)])).toEqual([
      ['TooLarge', 'a.yaml', 'document 1 uses aliases excessively'],
      ['TooLarge', 'c.yaml', 'document 1 uses aliases excessively'],
    ]);
  });
});
