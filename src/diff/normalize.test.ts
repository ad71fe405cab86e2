import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../api/object.js';
import { isSecret, lastAppliedAnnotation, normalizeForCompare, normalizeSecret } from './normalize.js';

function configMap(metadata: KubeObject['metadata'], extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'ns', ...metadata }, ...extra };
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

describe('normalizeForCompare', () => {
  it.each([
    ['managedFields', { managedFields: [{ manager: 'capstan', operation: 'Apply' }] }],
    ['resourceVersion', { resourceVersion: '123' }],
    ['uid', { uid: 'abc' }],
    ['generation', { generation: 7 }],
    ['creationTimestamp', { creationTimestamp: '2024-01-01T00:00:00Z' }],
    ['selfLink', { selfLink: '/api/v1/namespaces/ns/configmaps/cfg' }],
  ])('strips metadata.%s', (field, metadata) => {
    const normalized = normalizeForCompare(configMap(metadata));
    expect(normalized.metadata).toEqual({ name: 'cfg', namespace: 'ns' });
    expect(field in normalized.metadata).toBe(false);
  });

  it('strips top-level status but keeps a status field nested elsewhere', () => {
    const normalized = normalizeForCompare(configMap({}, { status: { phase: 'Ready' }, spec: { status: 'kept' } }));
    expect(normalized).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'ns' }, spec: { status: 'kept' } });
  });

  it('strips the last-applied annotation and keeps the others', () => {
    const normalized = normalizeForCompare(configMap({ annotations: { [lastAppliedAnnotation]: '{}', team: 'web' } }));
    expect(normalized.metadata.annotations).toEqual({ team: 'web' });
  });

  it.each([
    ['annotations that become empty', { annotations: { [lastAppliedAnnotation]: '{}' } }],
    ['empty annotations', { annotations: {} }],
    ['empty labels', { labels: {} }],
  ])('drops %s', (_case, metadata) => {
    expect(normalizeForCompare(configMap(metadata)).metadata).toEqual({ name: 'cfg', namespace: 'ns' });
  });

  it('keeps every other field, including other metadata', () => {
    const obj = configMap(
      { labels: { app: 'web' }, finalizers: ['x'], ownerReferences: [{ kind: 'Foo' }], deletionTimestamp: '2024-01-01T00:00:00Z' },
      { data: { key: 'value' }, immutable: true },
    );
    expect(normalizeForCompare(obj)).toEqual(obj);
  });

  it('returns a copy and leaves its input alone', () => {
    const obj = configMap({ labels: { app: 'web' }, uid: 'abc' }, { data: { key: 'value' } });
    const before = structuredClone(obj);
    const normalized = normalizeForCompare(obj);
    (normalized.data as Record<string, string>).key = 'changed';
    (normalized.metadata.labels as Record<string, string>).app = 'changed';
    expect(obj).toEqual(before);
  });
});

describe('normalizeSecret', () => {
  const secret = (extra: Record<string, unknown>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's', namespace: 'ns' },
    type: 'Opaque',
    ...extra,
  });

  it.each([
    ['stringData alone becomes data', { stringData: { user: 'admin' } }, { user: base64('admin') }],
    ['stringData merges into data', { data: { a: base64('1') }, stringData: { b: '2' } }, { a: base64('1'), b: base64('2') }],
    ['a stringData key overrides the data key', { data: { pw: base64('old') }, stringData: { pw: 'new' } }, { pw: base64('new') }],
    ['unicode is encoded as UTF-8', { stringData: { greeting: 'grüße ✓ 日本' } }, { greeting: 'Z3LDvMOfZSDinJMg5pel5pys' }],
    ['an empty string is kept', { stringData: { empty: '' } }, { empty: '' }],
    ['numbers are stringified', { stringData: { port: 5432 } }, { port: base64('5432') }],
  ])('%s', (_case, fields, expectedData) => {
    const normalized = normalizeSecret(secret(fields));
    expect(normalized.data).toEqual(expectedData);
    expect('stringData' in normalized).toBe(false);
    expect(normalized.type).toBe('Opaque');
  });

  it('drops an empty stringData without inventing data', () => {
    const normalized = normalizeSecret(secret({ stringData: {} }));
    expect(normalized).toEqual(secret({}));
  });

  it('leaves its input alone', () => {
    const input = secret({ data: { a: base64('1') }, stringData: { a: '2' } });
    const before = structuredClone(input);
    normalizeSecret(input);
    expect(input).toEqual(before);
  });

  it('returns other kinds and Secrets without stringData unchanged', () => {
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, stringData: { a: 'b' } };
    const foreign: KubeObject = { apiVersion: 'example.com/v1', kind: 'Secret', metadata: { name: 'x' }, stringData: { a: 'b' } };
    const plain = secret({ data: { a: base64('1') } });
    expect(normalizeSecret(cm)).toBe(cm);
    expect(normalizeSecret(foreign)).toBe(foreign);
    expect(normalizeSecret(plain)).toBe(plain);
  });

  it('recognises only core-group Secrets', () => {
    expect(isSecret(secret({}))).toBe(true);
    expect(isSecret({ apiVersion: 'example.com/v1', kind: 'Secret', metadata: {} })).toBe(false);
  });
});
