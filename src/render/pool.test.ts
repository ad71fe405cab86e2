import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { RenderPool } from './pool.js';
import { parseRenderedObjects } from './serialized.js';
import { countLoopTurns } from './testing/loop-turns.js';

const root = mkdtempSync(path.join(tmpdir(), 'capstan-pool-'));
let n = 0;

/** A directory holding these files. */
function source(files: Record<string, string>): string {
  const dir = path.join(root, `src-${++n}`);
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const configMap = (name: string, extra = ''): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}`;

const deployment = (i: number): string => [
  'apiVersion: apps/v1', 'kind: Deployment', `metadata: {name: web-${i}, labels: {app: web-${i}}}`, 'spec:', '  replicas: 3',
  `  selector: {matchLabels: {app: web-${i}}}`, '  template:', `    metadata: {labels: {app: web-${i}}}`, '    spec:', '      containers:',
  '      - name: main', `        image: registry.example.com/web:1.2.${i}`,
  '        env:', ...Array.from({ length: 10 }, (_, k) => `        - {name: VAR_${k}, value: "value-${k}-${i}"}`),
].join('\n');

/** Nearly 10 MiB of deployments (11,000 of them): a few seconds to read. */
function largeManifest(): { text: string; objects: number } {
  const documents: string[] = [];
  let size = 0;
  for (let i = 0; size < 9.5 * 1024 * 1024; i++) {
    const text = deployment(i);
    documents.push(text);
    size += text.length + 5;
  }
  return { text: documents.join('\n---\n'), objects: documents.length };
}

const pools: RenderPool[] = [];
function pool(options: ConstructorParameters<typeof RenderPool>[0] = {}): RenderPool {
  const created = new RenderPool(options);
  pools.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('RenderPool', () => {
  it('renders in a worker thread and answers with each object as JSON text', async () => {
    const dir = source({ 'a.yaml': configMap('a'), 'b.json': JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b' } }) });
    const result = await pool().render({ repoRoot: dir, sourcePath: '.', directory: {} });
    expect(result).toEqual({
      ok: true,
      objects: ['{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}', '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"b"}}'],
      files: ['a.yaml', 'b.json'],
    });
  }, 60_000);

  it('applies its limits in the worker', async () => {
    const dir = source({ 'a.yaml': configMap('a', `data:\n  v: "${'x'.repeat(2000)}"\n`) });
    const result = await pool({ limits: { maxManifestBytes: 1000 } }).render({ repoRoot: dir, sourcePath: '.', directory: {} });
    expect(result).toMatchObject({ ok: false, errors: [{ code: 'TooLarge', file: '.' }] });
  }, 60_000);

  it('stops a render past its time limit (TimedOut) and renders the next one in a new worker', async () => {
    const slow = source({ 'slow.yaml': largeManifest().text });
    const quick = source({ 'a.yaml': configMap('a') });
    const renderer = pool({ timeoutMs: 500, workers: 1, limits: { maxObjects: 50_000 } });
    const [stopped, next] = await Promise.all([
      renderer.render({ repoRoot: slow, sourcePath: '.', directory: {} }),
      renderer.render({ repoRoot: quick, sourcePath: '.', directory: {} }),
    ]);
    expect(stopped).toEqual({ ok: false, errors: [{ code: 'TimedOut', file: '.', message: 'rendering took longer than 500ms and was stopped' }] });
    expect(next).toMatchObject({ ok: true, files: ['a.yaml'] });
  }, 60_000);

  it('fails a render that exhausts the worker heap (TooLarge), and the next one works', async () => {
    // Within the render limits (2 MiB as JSON, 22 MB once read), but more than a 24 MiB heap holds.
    const values = Array.from({ length: 100_000 }, (_, i) => `  - {a: ${i}, b: [x, y]}`).join('\n');
    const big = source({ 'big.yaml': configMap('big', `list:\n${values}\n`) });
    const quick = source({ 'a.yaml': configMap('a') });
    const renderer = pool({ maxHeapMb: 24, workers: 1 });
    const exhausted = await renderer.render({ repoRoot: big, sourcePath: '.', directory: {} });
    expect(exhausted).toEqual({
      ok: false,
      errors: [{ code: 'TooLarge', file: '.', message: 'rendering needed more than the 24 MiB of memory a render may use, and was stopped' }],
    });
    expect(await renderer.render({ repoRoot: quick, sourcePath: '.', directory: {} })).toMatchObject({ ok: true });
    expect(renderer.workers).toBe(1);
  }, 60_000);

  it('runs at most its number of workers, and queues the rest', async () => {
    const dirs = Array.from({ length: 5 }, (_, i) => source({ [`c${i}.yaml`]: configMap(`c${i}`) }));
    const renderer = pool({ workers: 2 });
    const results = await Promise.all(dirs.map((dir) => renderer.render({ repoRoot: dir, sourcePath: '.', directory: {} })));
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true]);
    expect(renderer.workers).toBeLessThanOrEqual(2);
  }, 60_000);

  it('stops a worker idle for idleMs, and starts another for the next render', async () => {
    const dir = source({ 'a.yaml': configMap('a') });
    const renderer = pool({ idleMs: 50 });
    expect(await renderer.render({ repoRoot: dir, sourcePath: '.', directory: {} })).toMatchObject({ ok: true });
    expect(renderer.workers).toBe(1);
    // The worker's exit is awaited as a condition: the pool stops it on its own.
    for (const deadline = Date.now() + 10_000; renderer.workers > 0 && Date.now() < deadline;) await new Promise((resolve) => setImmediate(resolve));
    expect(renderer.workers).toBe(0);
    expect(await renderer.render({ repoRoot: dir, sourcePath: '.', directory: {} })).toMatchObject({ ok: true });
  }, 60_000);

  it('refuses renders once closed, and fails those still waiting', async () => {
    const renderer = pool({ workers: 1 });
    const waiting = expect(renderer.render({ repoRoot: source({ 'a.yaml': configMap('a') }), sourcePath: '.', directory: {} })).rejects.toThrow('the render pool is closed');
    await renderer.close();
    await waiting;
    await expect(renderer.render({ repoRoot: root, sourcePath: '.', directory: {} })).rejects.toThrow('the render pool is closed');
  }, 60_000);

  it('keeps the calling thread free while a 10 MiB source is read, and hands it over in short steps', async () => {
    const large = largeManifest();
    const dir = source({ 'all.yaml': large.text });
    const renderer = pool({ workers: 1, timeoutMs: 120_000, limits: { maxObjects: 50_000 } });
    // The worker is started (and has loaded) before the measurement.
    await renderer.render({ repoRoot: source({ 'a.yaml': configMap('a') }), sourcePath: '.', directory: {} });
    const whileRendering = countLoopTurns();
    const result = await renderer.render({ repoRoot: dir, sourcePath: '.', directory: {} });
    const turnsWhileRendering = whileRendering.stop();
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const whileParsing = countLoopTurns();
    const objects = await parseRenderedObjects(result.objects);
    const turnsWhileParsing = whileParsing.stop();
    expect(objects).toHaveLength(large.objects);
    // The source is read in the worker: this thread keeps turning meanwhile. What crosses back is
    // parsed here in slices, each followed by a turn of the loop (parsed in one go, none).
    expect(turnsWhileRendering).toBeGreaterThanOrEqual(10);
    expect(turnsWhileParsing).toBeGreaterThanOrEqual(3);
  }, 120_000);
});
