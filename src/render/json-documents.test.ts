import { describe, expect, it } from '@jest/globals';
import { readJsonDocuments } from './json-documents.js';

describe('readJsonDocuments', () => {
  it('refuses a key written twice in one object, however it is spelled', () => {
    const text = '{"apiVersion": "v1", "kind": "ConfigMap",\n "metadata": {"name": "a", "namespace": "team-a",\n "\\u006eamespace": "kube-system"}}';
    expect(readJsonDocuments(text, 'x.json')).toEqual({
      values: [],
      errors: [{ code: 'ParseError', file: 'x.json', line: 3, message: 'duplicated key "namespace" in one object' }],
    });
  });

  it('allows the same key in different objects, and in an array of documents', () => {
    const doc = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { name } });
    expect(readJsonDocuments(JSON.stringify([doc('a'), doc('b')]), 'x.json').values).toEqual([doc('a'), doc('b')]);
  });

  it('names a syntax error by its line and kind, never by the text around it', () => {
    const result = readJsonDocuments('{\n  "token": ghp_0123456789abcdefghijklmnopqrstuvwxyz\n}', 'x.json');
    expect(result.errors).toEqual([{ code: 'ParseError', file: 'x.json', line: 2, message: 'not valid JSON: invalid symbol' }]);
    expect(JSON.stringify(result.errors)).not.toContain('ghp_');
    expect(readJsonDocuments('ghp_0123456789abcdef', 'x.json').errors[0]?.message).toBe('not valid JSON: invalid symbol');
  });

  it('refuses what JSON does not allow: comments and trailing commas', () => {
    expect(readJsonDocuments('{"a": 1, // note\n"b": 2}', 'x.json').errors[0]).toMatchObject({ code: 'ParseError', line: 1 });
    expect(readJsonDocuments('{"a": 1,}', 'x.json').errors[0]).toMatchObject({ code: 'ParseError', message: 'not valid JSON: property name expected' });
  });
});

describe('readJsonDocuments: the budget', () => {
  it('counts what the values will take before parsing, and refuses a file past it', () => {
    const text = `[${Array<string>(1000).fill('[]').join(',')}]`;
    expect(readJsonDocuments(text, 'x.json', 100_000).values).toHaveLength(1000);
    expect(readJsonDocuments(text, 'x.json', 50_000)).toEqual({
      values: [], errors: [{ code: 'TooLarge', file: 'x.json', message: 'the file takes more than 50000 bytes once read' }], budgetSpent: true,
    });
  });
});
