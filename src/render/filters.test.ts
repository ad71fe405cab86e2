import { describe, expect, it } from '@jest/globals';
import { fileFilter, manifestFormatOf } from './filters.js';

describe('manifestFormatOf', () => {
  it.each([
    ['a.yaml', 'yaml'],
    ['a.YML', 'yaml'],
    ['dir/a.Yaml', 'yaml'],
    ['a.json', 'json'],
    ['a.JSON', 'json'],
    ['a.yaml.txt', undefined],
    ['README.md', undefined],
    ['yaml', undefined],
  ])('%s is %s', (name, format) => {
    expect(manifestFormatOf(name)).toBe(format);
  });
});

describe('fileFilter', () => {
  it('accepts everything without patterns', () => {
    const accepts = fileFilter({});
    expect(accepts('a.yaml')).toBe(true);
    expect(accepts('x/y/z.json')).toBe(true);
  });

  it('matches a slash-free pattern against the path and the base name', () => {
    const accepts = fileFilter({ include: '{*.yaml,config.json}' });
    expect(accepts('a.yaml')).toBe(true);
    expect(accepts('sub/a.yaml')).toBe(true);
    expect(accepts('sub/deeper/config.json')).toBe(true);
    expect(accepts('other.json')).toBe(false);
  });

  it('matches a pattern with a slash against the whole relative path', () => {
    const accepts = fileFilter({ include: 'sub/*.yaml' });
    expect(accepts('sub/a.yaml')).toBe(true);
    expect(accepts('a.yaml')).toBe(false);
    expect(accepts('x/sub/a.yaml')).toBe(false);
  });

  it('lets exclude win over include', () => {
    const accepts = fileFilter({ include: '*.yaml', exclude: 'secret.yaml' });
    expect(accepts('app.yaml')).toBe(true);
    expect(accepts('secret.yaml')).toBe(false);
    expect(accepts('nested/secret.yaml')).toBe(false);
  });
});
