import { describe, expect, it } from '@jest/globals';
import { parseManifests } from './parse.js';

function objectsOf(text: string, format: 'yaml' | 'json' = 'yaml') {
  const result = parseManifests(text, 'x.yaml', format);
  if (!result.ok) throw new Error(`expected objects, got ${JSON.stringify(result.errors)}`);
  return result.objects;
}

function errorsOf(text: string, format: 'yaml' | 'json' = 'yaml') {
  const result = parseManifests(text, 'x.yaml', format);
  if (result.ok) throw new Error('expected errors');
  return result.errors;
}

const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

describe('parseManifests: YAML', () => {
  it('reads every document and ignores empty, null and comment-only ones', () => {
    const text = `---\n${configMap('a')}---\n---\n# only a comment\n---\nnull\n---\n~\n---\n${configMap('b')}`;
    expect(objectsOf(text).map((o) => o.metadata.name)).toEqual(['a', 'b']);
  });

  it('returns no objects for an empty or comment-only file', () => {
    expect(objectsOf('')).toEqual([]);
    expect(objectsOf('# nothing here\n')).toEqual([]);
  });

  it('keeps scalars as YAML 1.2 core reads them: dates and yes/on stay strings', () => {
    const [object] = objectsOf(`${configMap('v')}data:\n  date: 2024-01-01\n  enabled: yes\n  switch: on\n  flag: true\n  stamp: 2024-01-01T10:00:00Z\n  count: 3\n  none: null\n`);
    expect(object?.data).toEqual({ date: '2024-01-01', enabled: 'yes', switch: 'on', flag: true, stamp: '2024-01-01T10:00:00Z', count: 3, none: null });
  });

  it('honours anchors and merge keys, and returns independent copies', () => {
    const text = `${configMap('m')}base: &base { a: 1, b: 2 }\nmerged:\n  <<: *base\n  b: 3\nalias: *base\n`;
    const [object] = objectsOf(text);
    expect(object?.merged).toEqual({ a: 1, b: 3 });
    expect(object?.alias).toEqual({ a: 1, b: 2 });
    expect(object?.alias).not.toBe(object?.base);
  });

  it('accepts nesting deeper than js-yaml allows by default, as deep schemas need', () => {
    let nested = '';
    for (let depth = 0; depth < 150; depth++) nested += `${'  '.repeat(depth + 1)}level${depth}:\n`;
    const [object] = objectsOf(`${configMap('deep')}spec:\n${nested}${'  '.repeat(151)}leaf: true\n`);
    let node: unknown = object?.spec;
    for (let depth = 0; depth < 150; depth++) node = (node as Record<string, unknown>)[`level${depth}`];
    expect(node).toEqual({ leaf: true });
  });

  it('keeps a __proto__ key as plain data', () => {
    const [object] = objectsOf(`${configMap('p')}data:\n  __proto__: { polluted: yes }\n`);
    const data = object?.data as Record<string, unknown>;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.keys(data)).toEqual(['__proto__']);
    expect((data as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('reports a syntax error with its file, 1-based line and js-yaml reason', () => {
    const errors = errorsOf(`${configMap('ok')}---\n${configMap('broken')} data: oops\n`);
    expect(errors).toEqual([
      { code: 'ParseError', file: 'x.yaml', line: 10, message: 'bad indentation of a mapping entry' },
    ]);
  });

  it('rejects duplicate keys, binary data and unknown tags as syntax errors', () => {
    expect(errorsOf(`${configMap('a')}data: { k: 1, k: 2 }\n`)[0]?.message).toContain('duplicated mapping key');
    expect(errorsOf(`${configMap('a')}binaryData: { k: !!binary aGk= }\n`)[0]?.code).toBe('ParseError');
    expect(errorsOf(`${configMap('a')}data: { k: !!timestamp 2024-01-01 }\n`)[0]?.code).toBe('ParseError');
  });

  it('rejects numbers JSON cannot carry', () => {
    const errors = errorsOf(`${configMap('a')}spec: { ratio: .nan, limit: .inf }\n`);
    expect(errors).toEqual([
      { code: 'InvalidObject', file: 'x.yaml', document: 1, message: 'document 1: spec.ratio: NaN is not a JSON number' },
    ]);
  });

  it('stops an alias expansion past the byte budget with TooLarge', () => {
    const levels = ['a: &a ["xxxxxxxxxxxxxxxx"]'];
    for (let i = 1; i < 20; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const text = `${configMap('bomb')}data:\n${levels.map((l) => `  ${l}`).join('\n')}\n`;
    const started = Date.now();
    const result = parseManifests(text, 'bomb.yaml', 'yaml', { maxExpandedBytes: 1024 * 1024 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.code)).toEqual(['TooLarge']);
  });
});

describe('parseManifests: JSON', () => {
  const json = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });

  it('reads a single object', () => {
    expect(objectsOf(JSON.stringify(json('one')), 'json')).toEqual([json('one')]);
  });

  it('reads an array of objects, numbering elements as documents', () => {
    expect(objectsOf(JSON.stringify([json('a'), json('b')]), 'json')).toEqual([json('a'), json('b')]);
    const errors = errorsOf(JSON.stringify([json('a'), { kind: 'ConfigMap', metadata: { name: 'b' } }]), 'json');
    expect(errors.map((e) => [e.code, e.document])).toEqual([['InvalidObject', 2]]);
  });

  it('reads a file that starts with a byte order mark, and an empty file', () => {
    expect(objectsOf(`\ufeff${JSON.stringify(json('bom'))}`, 'json')).toEqual([json('bom')]);
    expect(objectsOf('  \n', 'json')).toEqual([]);
  });

  it('reports a syntax error with the line of the offending character', () => {
    const [error] = errorsOf('{\n  "apiVersion": "v1",\n  "kind": "ConfigMap",,\n}\n', 'json');
    expect(error).toMatchObject({ code: 'ParseError', file: 'x.yaml', line: 3 });
  });
});

describe('parseManifests: Lists', () => {
  it('flattens kind List and any *List with items, recursively, in order', () => {
    const text = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - { apiVersion: v1, kind: Secret, metadata: { name: s } }',
      '  - apiVersion: v1',
      '    kind: ConfigMapList',
      '    items:',
      '      - { apiVersion: v1, kind: ConfigMap, metadata: { name: a } }',
      '      - { apiVersion: v1, kind: ConfigMap, metadata: { name: b } }',
      '  - { apiVersion: v1, kind: Service, metadata: { name: svc } }',
    ].join('\n');
    expect(objectsOf(text).map((o) => `${o.kind}/${o.metadata.name ?? ''}`)).toEqual(['Secret/s', 'ConfigMap/a', 'ConfigMap/b', 'Service/svc']);
  });

  it('treats a List without items as empty', () => {
    expect(objectsOf('apiVersion: v1\nkind: List\n')).toEqual([]);
    expect(objectsOf('apiVersion: v1\nkind: List\nitems: []\n')).toEqual([]);
  });

  it('keeps a kind that merely ends in List when it has no items array', () => {
    const objects = objectsOf('apiVersion: example.com/v1\nkind: AccessList\nmetadata: { name: acl }\nspec: {}\n');
    expect(objects.map((o) => o.kind)).toEqual(['AccessList']);
  });

  it('names the list item that is invalid', () => {
    const errors = errorsOf('apiVersion: v1\nkind: List\nitems:\n  - { apiVersion: v1, kind: Secret, metadata: { name: s } }\n  - { apiVersion: v1, kind: Secret }\n');
    expect(errors).toEqual([
      { code: 'InvalidObject', file: 'x.yaml', document: 1, message: 'document 1, items[1]: metadata is missing' },
    ]);
  });

  it('rejects a List whose items is not a list', () => {
    expect(errorsOf('apiVersion: v1\nkind: List\nitems: { a: 1 }\n')[0]?.message).toContain('List.items must be a list');
  });
});

describe('parseManifests: object checks', () => {
  it('names every missing field with the 1-based document index', () => {
    const text = [
      'kind: ConfigMap\nmetadata: { name: a }',
      'apiVersion: v1\nmetadata: { name: b }',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { labels: { app: web } }',
      'apiVersion: batch/v1\nkind: Job\nmetadata: { generateName: migrate- }',
      'apiVersion: v1\nkind: ConfigMap',
      'just a string',
      '- a list',
      'apiVersion: 1\nkind: ConfigMap\nmetadata: { name: "" }',
    ].join('\n---\n');
    expect(errorsOf(text).map((e) => [e.document, e.message])).toEqual([
      [1, 'document 1: apiVersion is missing'],
      [2, 'document 2: kind is missing'],
      [3, 'document 3: metadata.name is missing'],
      [4, 'document 4: metadata.name is missing (metadata.generateName is not supported: Capstan tracks each object by its name)'],
      [5, 'document 5: metadata is missing'],
      [6, 'document 6: expected an object with apiVersion, kind and metadata, found the string "just a string"'],
      [7, 'document 7: expected an object with apiVersion, kind and metadata, found a list'],
      [8, 'document 8: apiVersion must be a string, found the number 1; metadata.name is missing'],
    ]);
  });

  it('requires labels, annotations and namespace to be strings', () => {
    const errors = errorsOf(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: 7\n  labels: { version: 2 }\n  annotations: { enabled: true }\n`);
    expect(errors[0]?.message).toBe(
      'document 1: metadata.namespace must be a string, found the number 7; metadata.labels.version must be a string, found the number 2 (quote it); metadata.annotations.enabled must be a string, found the boolean true (quote it)',
    );
  });

  it('returns objects exactly as declared: no namespace, no labels added', () => {
    const [object] = objectsOf(configMap('plain'));
    expect(object).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain' } });
  });
});
