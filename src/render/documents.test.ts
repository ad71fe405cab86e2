import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../api/object.js';
import { parseToolDocuments } from './documents.js';
import type { ToolDocument } from './tools/outputs.js';

const cm = (name: string, namespace?: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(namespace === undefined ? {} : { namespace }) } });
const yamlDoc = (file: string, ...names: string[]): ToolDocument => ({ file, format: 'yaml', text: names.map((n) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "${n}"\n`).join('---\n') });
const jsonDoc = (file: string, ...names: string[]): ToolDocument => ({ file, format: 'json', text: JSON.stringify(names.map((n) => cm(n))) });

function objects(result: ReturnType<typeof parseToolDocuments>): unknown[] {
  if (!result.ok) throw new Error(`failed: ${JSON.stringify(result.errors)}`);
  return result.objects.map((t) => JSON.parse(t) as unknown);
}

describe('parseToolDocuments', () => {
  it('reads the objects of YAML and JSON output, after those of the manifest files beside it', () => {
    const result = parseToolDocuments([yamlDoc('overlay', 'a', 'b'), jsonDoc('main.jsonnet', 'c')], 'overlay', {}, [{ object: cm('m'), file: 'plain.yaml' }]);
    expect(objects(result)).toEqual([cm('m'), cm('a'), cm('b'), cm('c')]);
    expect(result.ok && result.files).toEqual(['plain.yaml', 'overlay', 'main.jsonnet']);
  });

  it('names each file once', () => {
    const result = parseToolDocuments([jsonDoc('a.jsonnet', 'x'), jsonDoc('a.jsonnet', 'y')], '.', {}, [{ object: cm('m'), file: 'm.yaml' }, { object: cm('n'), file: 'm.yaml' }]);
    expect(result.ok && result.files).toEqual(['m.yaml', 'a.jsonnet']);
  });

  it('takes output with no objects', () => {
    expect(parseToolDocuments([{ file: 'chart', format: 'yaml', text: '' }, { file: 'chart', format: 'yaml', text: '---\n# nothing\n' }], 'chart')).toEqual({ ok: true, objects: [], files: ['chart'] });
  });

  it('refuses output larger in all than maxManifestBytes, before reading it', () => {
    const docs = [yamlDoc('a', 'x'), yamlDoc('b', 'y')];
    const total = docs.reduce((n, d) => n + Buffer.byteLength(d.text), 0);
    expect(parseToolDocuments(docs, 'src', { maxManifestBytes: total - 1 })).toEqual({
      ok: false, errors: [{ code: 'TooLarge', file: 'src', message: `the rendered manifests add up to ${total} bytes, more than the limit of ${total - 1}` }],
    });
    expect(parseToolDocuments(docs, 'src', { maxManifestBytes: total, maxExpandedBytes: 10_000 }).ok).toBe(true);
  });

  it('counts bytes, not characters', () => {
    const doc: ToolDocument = { file: 'a', format: 'yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {k: "ééé"}\n' };
    const chars = doc.text.length;
    expect(parseToolDocuments([doc], 'src', { maxManifestBytes: chars }).ok).toBe(false);
  });

  it.each([
    ['in one output', [yamlDoc('chart', 'a', 'b', 'c')], []],
    ['across outputs', [yamlDoc('x.jsonnet', 'a', 'b'), yamlDoc('y.jsonnet', 'c')], []],
    ['with the manifest files beside them', [yamlDoc('x.jsonnet', 'b', 'c')], [{ object: cm('a'), file: 'a.yaml' }]],
  ])('refuses more than maxObjects objects %s', (_case, docs, alongside) => {
    const result = parseToolDocuments(docs, 'src', { maxObjects: 2 }, alongside);
    expect(result).toEqual({ ok: false, errors: [{ code: 'TooLarge', file: 'src', message: 'the source declares more than the limit of 2 objects' }] });
    expect(parseToolDocuments(docs, 'src', { maxObjects: 3 }, alongside).ok).toBe(true);
  });

  it('refuses an object declared twice in one output', () => {
    expect(parseToolDocuments([yamlDoc('overlay', 'a', 'a')], 'overlay')).toEqual({
      ok: false, errors: [{ code: 'DuplicateObject', file: 'overlay', message: 'v1 ConfigMap a is declared twice in overlay' }],
    });
  });

  it('refuses an object declared both in a manifest file and in tool output', () => {
    expect(parseToolDocuments([jsonDoc('main.jsonnet', 'a')], '.', {}, [{ object: cm('a'), file: 'plain.yaml' }])).toEqual({
      ok: false, errors: [{ code: 'DuplicateObject', file: 'main.jsonnet', message: 'v1 ConfigMap a is declared in both plain.yaml and main.jsonnet' }],
    });
  });

  it('refuses an object declared in two outputs, and tells apart objects of other namespaces', () => {
    const inNamespace: ToolDocument = { file: 'z.jsonnet', format: 'json', text: JSON.stringify(cm('a', 'other')) };
    expect(parseToolDocuments([jsonDoc('x.jsonnet', 'a'), inNamespace, jsonDoc('y.jsonnet', 'a')], '.')).toEqual({
      ok: false, errors: [{ code: 'DuplicateObject', file: 'y.jsonnet', message: 'v1 ConfigMap a is declared in both x.jsonnet and y.jsonnet' }],
    });
  });

  it('reports the errors of every output that cannot be read', () => {
    const result = parseToolDocuments([{ file: 'a', format: 'yaml', text: 'kind: [' }, yamlDoc('b', 'ok'), { file: 'c', format: 'json', text: '{' }], 'src');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => [e.code, e.file])).toEqual([['ParseError', 'a'], ['ParseError', 'c']]);
  });

  it('refuses an object larger than maxObjectBytes as JSON', () => {
    const big: ToolDocument = { file: 'chart', format: 'yaml', text: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata: {k: "${'x'.repeat(200)}"}\n` };
    const result = parseToolDocuments([big], 'chart', { maxObjectBytes: 100 });
    expect(result.ok ? [] : result.errors.map((e) => e.code)).toEqual(['TooLarge']);
  });

  it('bounds what the objects of all outputs take once read, together', () => {
    // One ConfigMap with a name takes 342 bytes once read (cost.ts): room for one, not two.
    const budget = { maxExpandedBytes: 400 };
    expect(parseToolDocuments([yamlDoc('a', 'x')], 'src', budget).ok).toBe(true);
    const two = parseToolDocuments([yamlDoc('a', 'x'), yamlDoc('b', 'y')], 'src', budget);
    expect(two.ok ? [] : two.errors.map((e) => [e.code, e.file, e.document])).toEqual([['TooLarge', 'b', 1]]);
  });

  it('names the document that passed the budget, also when its last node did', () => {
    // 270 bytes are spent as the document's own mapping closes.
    const result = parseToolDocuments([yamlDoc('a', 'x')], 'src', { maxExpandedBytes: 270 });
    expect(result).toEqual({ ok: false, errors: [{ code: 'TooLarge', file: 'a', document: 1, message: 'document 1: takes more than 270 bytes once read' }] });
  });
});
