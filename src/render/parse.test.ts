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

  it('reads scalars as kubectl does: yes/on are booleans, dates stay strings', () => {
    const [object] = objectsOf(`${configMap('v')}data:\n  date: 2024-01-01\n  enabled: yes\n  switch: on\n  flag: true\n  stamp: 2024-01-01T10:00:00Z\n  count: 3\n  none: null\n`);
    expect(object?.data).toEqual({ date: '2024-01-01', enabled: true, switch: true, flag: true, stamp: '2024-01-01T10:00:00Z', count: 3, none: null });
  });

  it('honours anchors and merge keys, and returns independent copies', () => {
    const text = `${configMap('m')}base: &base { a: 1, b: 2 }\nmerged:\n  <<: *base\n  b: 3\nalias: *base\n`;
    const [object] = objectsOf(text);
    expect(object?.merged).toEqual({ a: 1, b: 3 });
    expect(object?.alias).toEqual({ a: 1, b: 2 });
    expect(object?.alias).not.toBe(object?.base);
  });

  it('accepts deep nesting, as large schemas need', () => {
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

  it('reports a syntax error with its file, 1-based line and the reason', () => {
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

describe('parseManifests: YAML as kubectl reads it (go-yaml v2)', () => {
  /** The value of `v:` in a ConfigMap that declares it as the given YAML text. */
  const valueOf = (yamlText: string): unknown => objectsOf(`${configMap('v')}v: ${yamlText}\n`)[0]?.v;
  const valuesOf = (texts: string[]) => texts.map(valueOf);

  it('reads file modes with a leading 0 as octal: 0644 is 420, 0500 is 320, 0440 is 288, 0444 is 292', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: { name: p }',
      'spec:',
      '  volumes:',
      '    - name: config',
      '      configMap: { name: c, defaultMode: 0644 }',
      '    - name: keys',
      '      secret: { secretName: s, defaultMode: 0500, items: [{ key: k, path: k, mode: 0440 }] }',
      '    - name: ro',
      '      secret: { secretName: r, defaultMode: 0444 }',
    ].join('\n');
    const volumes = (objectsOf(text)[0]?.spec as { volumes: Array<Record<string, Record<string, unknown>>> }).volumes;
    expect(volumes.map((v) => v.configMap?.defaultMode ?? v.secret?.defaultMode)).toEqual([420, 320, 292]);
    expect(volumes[1]?.secret?.items).toEqual([{ key: 'k', path: 'k', mode: 288 }]);
  });

  it('reads the 0o octal form too, as Go does: 0o644 is 420', () => {
    expect(valuesOf(['0o644', '0O17', '-0644'])).toEqual([420, 15, -420]);
  });

  it('reads hex, binary and underscores as go-yaml does', () => {
    expect(valuesOf(['0x1F', '0X1f', '0b101', '1_000', '0x_ff', '+12'])).toEqual([31, 31, 5, 1000, 255, 12]);
  });

  it('reads floats as go-yaml does, and keeps what Go cannot read as a float as text', () => {
    expect(valuesOf(['1e3', '1.5', '.5', '-.5e2', '1.', '08', '1e400', '.e3'])).toEqual([1000, 1.5, 0.5, -50, 1, 8, '1e400', '.e3']);
    expect(errorsOf(`${configMap('a')}v: .inf\n`)[0]?.message).toBe('document 1: v: Infinity is not a JSON number');
  });

  it('reads the YAML 1.1 booleans go-yaml knows, and nothing else', () => {
    const yes = ['yes', 'Yes', 'YES', 'y', 'Y', 'on', 'On', 'ON', 'true', 'True', 'TRUE'];
    const no = ['no', 'No', 'NO', 'n', 'N', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE'];
    expect(valuesOf(yes)).toEqual(yes.map(() => true));
    expect(valuesOf(no)).toEqual(no.map(() => false));
    expect(valuesOf(['yEs', 'oN', 'tRUE', 'nope'])).toEqual(['yEs', 'oN', 'tRUE', 'nope']);
  });

  it('reads a quoted scalar continued at less indentation than its key, as go-yaml does', () => {
    expect(objectsOf(`${configMap('q')}v: "a\nb"\n`)[0]?.v).toBe('a b');
  });

  it('keeps quoted scalars as strings', () => {
    expect(valuesOf(['"yes"', "'0644'", '"12"', "'on'", '"null"'])).toEqual(['yes', '0644', '12', 'on', 'null']);
    expect(valuesOf(['!!str 0644', '!!int "0644"'])).toEqual(['0644', 420]);
  });

  it('keeps times and dates as strings: no base 60, no timestamps', () => {
    expect(valuesOf(['12:30', '1:20:30', '190:20:30.5', '2024-01-01', '2024-01-01T10:00:00Z'])).toEqual([
      '12:30',
      '1:20:30',
      '190:20:30.5',
      '2024-01-01',
      '2024-01-01T10:00:00Z',
    ]);
  });

  it('reads ~, null and an empty value as null', () => {
    const [object] = objectsOf(`${configMap('nulls')}data:\n  a: ~\n  b: null\n  c: Null\n  d: NULL\n  e:\nlist: [~, null, ]\n`);
    expect(object?.data).toEqual({ a: null, b: null, c: null, d: null, e: null });
    expect(object?.list).toEqual([null, null]);
    expect(valueOf('nULL')).toBe('nULL');
  });

  it('turns keys into strings as kubectl does', () => {
    const [object] = objectsOf(`${configMap('k')}data:\n  yes: 1\n  off: 2\n  0644: 3\n  1.5: 4\n  "0x1F": 5\n`);
    expect(object?.data).toEqual({ true: 1, false: 2, '420': 3, '1.5': 4, '0x1F': 5 });
  });

  it('names float keys as kubectl does (the shortest float32 digits, Go style exponents), and refuses null and collection keys', () => {
    const [object] = objectsOf(`${configMap('k')}data: { 1e6: a, 0.1: b, 3.14159265358979: c, 1234567.0: d, -0.0: e, 1e-5: f, .inf: g, 2.50: h }\n`);
    expect(object?.data).toEqual({ '1e+06': 'a', '0.1': 'b', '3.1415927': 'c', '1.234567e+06': 'd', '-0': 'e', '1e-05': 'f', '.inf': 'g', '2.5': 'h' });
    expect(objectsOf(`${configMap('k')}data:\n  ? 1e6\n  : a\n`)[0]?.data).toEqual({ '1e+06': 'a' });
    expect(errorsOf(`${configMap('k')}data:\n  ~: 1\n`)[0]).toMatchObject({ code: 'ParseError', line: 6, message: 'a mapping key must not be null' });
    for (const key of ['[a]', '{ a: 1 }']) {
      expect(errorsOf(`${configMap('k')}data: { ${key}: 1 }\n`)[0]).toMatchObject({ line: 5, message: 'a mapping key must be a scalar, not a collection' });
    }
    expect(errorsOf(`${configMap('k')}data:\n  ? [a, b]\n  : 1\n`)[0]).toMatchObject({ line: 6, message: 'a mapping key must be a scalar, not a collection' });
  });

  it('reads integers out of int64 range as go-yaml does: decimal ones as floats, others as text', () => {
    expect(valuesOf(['0xFFFFFFFFFFFFFFFF', '0x10000000000000000', '-9223372036854775809', '0o7777777777777777777777'])).toEqual([
      2 ** 64,
      '0x10000000000000000',
      -(2 ** 63),
      '0o7777777777777777777777',
    ]);
  });

  it('merges keys as go-yaml does: the merged mapping overrides earlier keys, later keys override it', () => {
    const text = [
      configMap('m'),
      'a: &a { p: 1, q: 1 }',
      'b: &b { q: 2, r: 2 }',
      'before: { p: 0, <<: *a }',
      'after: { <<: *a, p: 0 }',
      'list: { <<: [*a, *b], s: 3 }',
      'twice:',
      '  <<: *a',
      '  <<: *b',
    ].join('\n');
    const [object] = objectsOf(text);
    expect(object?.before).toEqual({ p: 1, q: 1 });
    expect(object?.after).toEqual({ p: 0, q: 1 });
    expect(object?.list).toEqual({ p: 1, q: 1, r: 2, s: 3 });
    expect(object?.twice).toEqual({ p: 1, q: 2, r: 2 });
    expect(errorsOf(`${configMap('m')}a: &a 1\nb: { <<: *a }\n`)[0]).toMatchObject({ code: 'ParseError', line: 6, message: 'map merge requires map or sequence of maps as the value' });
  });

  it('keeps the order of numeric keys around merge keys, though JavaScript lists them first', () => {
    const text = `${configMap('m')}a: &a { 1: x, "8080": x, k: x }\nbefore: { 1: z, "8080": z, <<: *a }\nafter: { <<: *a, 1: z, "8080": z }\n`;
    const [object] = objectsOf(text);
    expect(object?.before).toEqual({ 1: 'x', 8080: 'x', k: 'x' });
    expect(object?.after).toEqual({ 1: 'z', 8080: 'z', k: 'x' });
  });

  it('merges wherever go-yaml does: in flow sequences, under an explicit key, with !!merge; a quoted "<<" is a key', () => {
    const text = [
      configMap('m'),
      'a: &a { p: 1 }',
      'flow: [ <<: *a, x ]',
      'explicit:',
      '  ? <<',
      '  : *a',
      '  q: 2',
      'tagged: { !!merge <<: *a, q: 2 }',
      'quoted: { "<<": *a }',
      'value: <<',
      'inner: { <<: { <<: *a, q: 2 }, r: 3 }',
    ].join('\n');
    const [object] = objectsOf(text);
    expect(object?.flow).toEqual([{ p: 1 }, 'x']);
    expect(object?.explicit).toEqual({ p: 1, q: 2 });
    expect(object?.tagged).toEqual({ p: 1, q: 2 });
    expect(object?.quoted).toEqual({ '<<': { p: 1 } });
    expect(object?.value).toBe('<<');
    expect(object?.inner).toEqual({ p: 1, q: 2, r: 3 });
    expect(errorsOf(`${configMap('m')}s: &s [{ a: 1 }]\nb: { <<: *s }\n`)[0]).toMatchObject({ line: 6, message: 'map merge requires map or sequence of maps as the value' });
    expect(errorsOf(`${configMap('m')}b: &b { <<: *b }\n`)[0]).toMatchObject({ line: 5, message: "anchor 'b' value contains itself" });
  });

  it('refuses !!binary, with the line, rather than send decoded bytes as kubectl would', () => {
    expect(errorsOf(`${configMap('b')}binaryData:\n  k: !!binary aGk=\n`)).toEqual([
      { code: 'ParseError', file: 'x.yaml', line: 6, message: 'the tag !!binary is not supported: leave it out to keep the base64 text as it is' },
    ]);
    expect(objectsOf(`${configMap('b')}binaryData:\n  k: aGk=\n`)[0]?.binaryData).toEqual({ k: 'aGk=' });
  });

  it('refuses tags that would yield anything but JSON data, and values that do not fit their tag', () => {
    for (const tagged of ['!!set { a, b }', '!!omap [{ a: 1 }]', '!!pairs [{ a: 1 }]', '!!timestamp 2024-01-01', '!local x']) {
      expect(errorsOf(`${configMap('t')}v: ${tagged}\n`)[0]).toMatchObject({ code: 'ParseError', line: 5 });
    }
    expect(errorsOf(`${configMap('t')}v: !!int abc\n`)[0]?.message).toBe('the value does not fit its tag !!int');
  });

  it('reports a duplicate key as a ParseError with its line, also when only the JSON keys collide', () => {
    expect(errorsOf(`${configMap('d')}data:\n  a: 1\n  b: 2\n  a: 3\n`)).toEqual([
      { code: 'ParseError', file: 'x.yaml', line: 8, message: 'duplicated mapping key "a"' },
    ]);
    expect(errorsOf(`${configMap('d')}data:\n  yes: 1\n  "true": 2\n`)[0]).toMatchObject({ code: 'ParseError', line: 7, message: 'duplicated mapping key "true"' });
  });

  it('reports unknown and self-containing anchors with their line', () => {
    expect(errorsOf(`${configMap('a')}v: *nowhere\n`)[0]).toMatchObject({ code: 'ParseError', line: 5, message: "unknown anchor 'nowhere' referenced" });
    expect(errorsOf(`${configMap('a')}v: &x { self: *x }\n`)[0]).toMatchObject({ code: 'ParseError', line: 5, message: "anchor 'x' value contains itself" });
  });

  it('reads a file that starts with a byte order mark', () => {
    expect(objectsOf(`\ufeff${configMap('bom')}`).map((o) => o.metadata.name)).toEqual(['bom']);
  });

  it('refuses hostile nesting on the syntax tree, before it can exhaust the stack', () => {
    const errors = errorsOf(`${configMap('deep')}v: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`);
    expect(errors).toEqual([{ code: 'ParseError', file: 'x.yaml', line: 5, message: 'nested deeper than 1000 levels' }]);
  });

  it('stops merge keys that copy too many entries with TooLarge', () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `k${i}: ${i}`).join(', ');
    const text = `${configMap('merges')}base: &b { ${keys} }\nlist:\n${'  - <<: *b\n'.repeat(101)}`;
    expect(errorsOf(text)).toEqual([
      { code: 'TooLarge', file: 'x.yaml', document: 1, message: 'document 1: merge keys copy more than 100000 entries' },
    ]);
  });

  it('reads many anchors and aliases in time linear in their number', () => {
    const items = Array.from({ length: 10_000 }, (_, i) => `  - &a${i} v${i}\n  - *a${i}\n`).join('');
    const started = Date.now();
    const [object] = objectsOf(`${configMap('aliases')}list:\n${items}`);
    expect(Date.now() - started).toBeLessThan(6000);
    expect((object?.list as string[]).slice(-2)).toEqual(['v9999', 'v9999']);
  }, 30_000);
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
  it('flattens kind List and the v1 list of a core kind, recursively, in order', () => {
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
  it('takes generateName on hooks (Capstan, Argo CD or Helm annotation), with a prefix that makes a valid name', () => {
    for (const hook of ['capstan.dev/hook: PreSync', 'argocd.argoproj.io/hook: PostSync', 'helm.sh/hook: post-install']) {
      const objects = objectsOf(`apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: report-\n  annotations:\n    ${hook}\n`);
      expect(objects.map((o) => o.metadata.generateName)).toEqual(['report-']);
    }
    expect(errorsOf('apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: a/b-\n  annotations: { argocd.argoproj.io/hook: PreSync }\n').map((e) => e.message))
      .toEqual(['document 1: metadata.generateName "a/b-" does not make a valid name']);
  });

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
      [4, 'document 4: metadata.name is missing (metadata.generateName is only supported on hooks, which are created anew each sync: Capstan tracks every other object by its name)'],
      [5, 'document 5: metadata is missing'],
      [6, 'document 6: expected an object with apiVersion, kind and metadata, found a string of 13 characters'],
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
