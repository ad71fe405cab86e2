// Hostile manifests, each rendered alone through the render worker pool as the controller renders
// them: what each one gives (refused with which error, or accepted). The files beside this test
// are small; the large inputs are made here. The files are rendered in workers whose heap is
// 64 MiB, the large inputs in 96 MiB: an outcome other than the expected error (an exhausted
// heap, say) fails the test, so each one is refused by the render's own bounds, within that memory.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { RenderPool } from '../../../src/render/pool.js';
import type { SerializedRender } from '../../../src/render/serialized.js';
import type { RenderErrorCode } from '../../../src/render/types.js';

const corpus = path.dirname(fileURLToPath(import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), 'capstan-hostile-yaml-'));
const MiB = 1024 * 1024;

/** Accepted with this many objects, or refused with this error (its message contains `message`). */
type Outcome = { accepted: number } | { code: RenderErrorCode; message: string };

const aliases = 'uses aliases excessively';
const budget = 'bytes once read';
const invalidName = 'is not a valid name';

const files: Record<string, Outcome> = {
  // The security review's alias bombs: the first was accepted (2.1 GB), the second refused after 1.5 GB.
  'alias-object-bomb-437.yaml': { code: 'TooLarge', message: aliases },
  'alias-object-bomb-465.yaml': { code: 'TooLarge', message: aliases },
  'billion-laughs.yaml': { code: 'TooLarge', message: aliases },
  'nested-sequence-bomb.yaml': { code: 'TooLarge', message: aliases },
  'merge-key-bomb-nested.yaml': { code: 'TooLarge', message: aliases },
  'merge-key-bomb-wide.yaml': { code: 'TooLarge', message: 'merge keys copy more than 100000 entries' },
  'long-string-aliases.yaml': { code: 'TooLarge', message: budget },
  'deep-nesting.yaml': { code: 'ParseError', message: 'nested deeper than 1000 levels' },
  'self-anchor.yaml': { code: 'ParseError', message: "anchor 'x' value contains itself" },
  // Encodings: UTF-8 only, never read with replacement characters.
  'latin1.yaml': { code: 'ParseError', message: 'the file is not valid UTF-8 (byte 75' },
  'overlong-utf8.yaml': { code: 'ParseError', message: 'not valid UTF-8' },
  'utf16le-bom.yaml': { code: 'ParseError', message: 'the file is UTF-16' },
  'utf16be-bom.yaml': { code: 'ParseError', message: 'the file is UTF-16' },
  'utf16le-no-bom.yaml': { code: 'ParseError', message: 'null byte is not allowed' },
  'nul-byte.yaml': { code: 'ParseError', message: 'null byte is not allowed' },
  'utf8-bom.yaml': { accepted: 1 },
  // Duplicate keys, which would hide from a reviewer what is applied.
  'duplicate-key.yaml': { code: 'ParseError', message: 'duplicated mapping key "namespace"' },
  'duplicate-key-numeric.yaml': { code: 'ParseError', message: 'duplicated mapping key "1"' },
  'duplicate-key.json': { code: 'ParseError', message: 'duplicated key "namespace" in one object' },
  'duplicate-key-escaped.json': { code: 'ParseError', message: 'duplicated key "namespace" in one object' },
  // Names and versions that would become other API paths.
  'apiversion-traversal.yaml': { code: 'InvalidObject', message: 'apiVersion "x/../../api/v1/secrets" is not a valid API version' },
  'apiversion-query.yaml': { code: 'InvalidObject', message: 'is not a valid API version' },
  'kind-slash.yaml': { code: 'InvalidObject', message: 'kind "Secret/../x" is not a valid kind' },
  'name-dotdot.yaml': { code: 'InvalidObject', message: 'metadata.name ".." is not a valid name' },
  'name-dot.yaml': { code: 'InvalidObject', message: 'metadata.name "." is not a valid name' },
  'name-slash.yaml': { code: 'InvalidObject', message: 'metadata.name "../kube-system" is not a valid name' },
  'name-percent.yaml': { code: 'InvalidObject', message: invalidName },
  'name-300-chars.yaml': { code: 'InvalidObject', message: '… (300 characters) is not a valid name: it is longer than 253 characters' },
  'name-control-chars.yaml': { code: 'InvalidObject', message: 'metadata.name "x\\u001b]0;owned\\u0007\\u001b[2J" is not a valid name' },
  'name-bidi.yaml': { code: 'InvalidObject', message: 'metadata.name "web\\u202elmay.exe" is not a valid name' },
  'namespace-traversal.yaml': { code: 'InvalidObject', message: 'metadata.namespace "../kube-system" is not a valid namespace' },
  'namespace-dotdot.yaml': { code: 'InvalidObject', message: 'metadata.namespace ".." is not a valid namespace' },
  'list-hostile-item.yaml': { code: 'InvalidObject', message: 'items[0]: metadata.name ".." is not a valid name' },
  // A custom resource whose kind ends in List is applied as it is, its items never unwrapped.
  'allowlist-cr.yaml': { accepted: 1 },
  // A stray token file: refused, and described by its length only.
  'bare-token.yaml': { code: 'InvalidObject', message: 'found a string of 40 characters' },
};

const configMap = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

/** Inputs too large to keep in the repository, made here: name → files of a source directory, and the outcome. */
const generated: Record<string, { files: () => Record<string, string>; outcome: Outcome }> = {
  'an oversize file (10 MiB and 1 byte)': {
    files: () => {
      const [head, tail] = [`${configMap('big')}data:\n  v: "`, '"\n'];
      return { 'big.yaml': `${head}${'x'.repeat(10 * MiB + 1 - head.length - tail.length)}${tail}` };
    },
    outcome: { code: 'TooLarge', message: "the source's manifests add up to 10485761 bytes, more than the limit of 10485760" },
  },
  '20,001 files': {
    files: () => Object.fromEntries(Array.from({ length: 20_001 }, (_, i) => [`f${i}.yaml`, ''])),
    outcome: { code: 'TooLarge', message: 'the source holds more than the limit of 20000 files and directories' },
  },
  'a million empty documents': {
    files: () => ({ 'a.yaml': '---\n'.repeat(1_000_000) }),
    outcome: { accepted: 0 },
  },
  '100,000 documents that are not objects': {
    files: () => ({ 'a.yaml': '{}\n---\n'.repeat(100_000) }),
    outcome: { code: 'InvalidObject', message: 'document 1: apiVersion is missing; kind is missing; metadata is missing' },
  },
  '12,000 objects': {
    files: () => ({ 'a.yaml': Array.from({ length: 12_000 }, (_, i) => configMap(`c${i}`)).join('---\n') }),
    outcome: { code: 'TooLarge', message: 'the source declares more than the limit of 10000 objects' },
  },
  'one mapping of 300,000 keys': {
    files: () => ({ 'a.yaml': `${configMap('keys')}data:\n${Array.from({ length: 300_000 }, (_, i) => `  k${i}: v`).join('\n')}\n` }),
    outcome: { code: 'TooLarge', message: 'v1 ConfigMap keys is 4088964 bytes as JSON, more than the 3145728 the API server takes in one request' },
  },
  'a 4 MiB string': {
    files: () => ({ 'a.yaml': `${configMap('long')}data:\n  v: "${'x'.repeat(4 * MiB)}"\n` }),
    outcome: { code: 'TooLarge', message: 'v1 ConfigMap long is 4194385 bytes as JSON' },
  },
  'a 100 KiB string merged into 700 objects': {
    files: () => {
      const item = `{apiVersion: v1, kind: ConfigMap, metadata: {name: m}, data: {v: "${'x'.repeat(100 * 1024)}"}}`;
      return { 'a.yaml': `apiVersion: v1\nkind: List\nitems:\n- &b ${item}\n${Array.from({ length: 700 }, (_, i) => `- {<<: *b, metadata: {name: m${i}}}\n`).join('')}` };
    },
    outcome: { code: 'TooLarge', message: budget },
  },
  '3.4 million empty lists': {
    files: () => ({ 'a.yaml': `${configMap('lists')}v: [${Array<string>(3_400_000).fill('[]').join(',')}]\n` }),
    outcome: { code: 'TooLarge', message: 'document 1: takes more than 62914560 bytes once read' },
  },
  'merge chains in 965 documents, each within the bound of one document': {
    files: () => {
      let doc = `${configMap('x')}v:\n  m0: &m0 {${Array.from({ length: 500 }, (_, i) => `k${i}: ${i}`).join(', ')}}\n`;
      for (let i = 1; i < 150; i++) doc += `  m${i}: &m${i} {<<: *m${i - 1}, o${i}: ${i}}\n`;
      return { 'a.yaml': Array<string>(Math.floor((9.5 * MiB) / doc.length)).fill(doc).join('---\n') };
    },
    outcome: { code: 'TooLarge', message: 'takes more than 62914560 bytes once read' },
  },
  'a JSON file of 3.4 million empty lists': {
    files: () => ({ 'a.json': `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"v":[${Array<string>(3_400_000).fill('[]').join(',')}]}` }),
    outcome: { code: 'TooLarge', message: 'the file takes more than 62914560 bytes once read' },
  },
  'a JSON array of a million objects': {
    files: () => ({ 'a.json': `[${Array<string>(1_000_000).fill('{"a":1}').join(',')}]` }),
    outcome: { code: 'TooLarge', message: 'the file takes more than 62914560 bytes once read' },
  },
  'a chain of 200 merges of 500 keys': {
    files: () => {
      let text = `${configMap('chain')}v:\n  m0: &m0 {${Array.from({ length: 500 }, (_, i) => `k${i}: ${i}`).join(', ')}}\n`;
      for (let i = 1; i < 200; i++) text += `  m${i}: &m${i} {<<: *m${i - 1}, own${i}: ${i}}\n`;
      return { 'a.yaml': text };
    },
    outcome: { code: 'TooLarge', message: 'merge keys copy more than 100000 entries' },
  },
};

const pools = new Map<number, RenderPool>();
function poolWith(heapMb: number): RenderPool {
  let pool = pools.get(heapMb);
  if (pool === undefined) {
    pool = new RenderPool({ maxHeapMb: heapMb, workers: 1, timeoutMs: 120_000 });
    pools.set(heapMb, pool);
  }
  return pool;
}

afterAll(async () => {
  await Promise.all([...pools.values()].map((p) => p.close()));
  rmSync(scratch, { recursive: true, force: true });
});

function expectOutcome(result: SerializedRender, outcome: Outcome): void {
  if ('accepted' in outcome) {
    expect(result).toMatchObject({ ok: true });
    if (result.ok) expect(result.objects).toHaveLength(outcome.accepted);
    return;
  }
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.errors[0]).toMatchObject({ code: outcome.code, message: expect.stringContaining(outcome.message) as unknown as string });
  // Whatever a file holds, a message quotes at most a short, escaped part of it.
  for (const error of result.errors) {
    expect(error.message.length).toBeLessThan(400);
    expect(error.message).toMatch(/^[\x20-\x7e…]*$/);
  }
}

describe('the hostile YAML corpus', () => {
  it('has an expected outcome for every file', () => {
    const present = readdirSync(corpus).filter((f) => /\.(ya?ml|json)$/i.test(f)).sort();
    expect(present).toEqual(Object.keys(files).sort());
  });

  it.each(Object.entries(files))('%s', async (file, outcome) => {
    const result = await poolWith(64).render({ repoRoot: corpus, sourcePath: '.', directory: { include: file } });
    expectOutcome(result, outcome);
  }, 60_000);

  it('never quotes a stray token', async () => {
    const result = await poolWith(64).render({ repoRoot: corpus, sourcePath: '.', directory: { include: 'bare-token.yaml' } });
    expect(JSON.stringify(result)).not.toContain('ghp_');
  }, 60_000);
});

describe('large hostile inputs', () => {
  it.each(Object.entries(generated))('%s', async (name, { files: make, outcome }) => {
    const dir = path.join(scratch, name.replace(/[^a-z0-9]+/gi, '-'));
    mkdirSync(dir);
    for (const [file, text] of Object.entries(make())) writeFileSync(path.join(dir, file), text);
    const result = await poolWith(96).render({ repoRoot: dir, sourcePath: '.', directory: {} });
    rmSync(dir, { recursive: true, force: true });
    expectOutcome(result, outcome);
  }, 120_000);
});
