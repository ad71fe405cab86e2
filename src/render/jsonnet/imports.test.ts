import { describe, expect, it } from '@jest/globals';
import { importedErrorFiles } from './imports.js';

describe('importedErrorFiles', () => {
  it.each([
    ['RUNTIME ERROR: ../outside/secret:1:1-14 Unknown variable: hunter2 | main.jsonnet:1:1-29', ['../outside/secret']],
    ['RUNTIME ERROR: /etc/shadow:1:5 Not a binary operator: :*:', ['/etc/shadow']],
    ['RUNTIME ERROR: lib/a b.libsonnet:(1:3)-(2:1) Expected a comma', ['lib/a b.libsonnet']],
    ['RUNTIME ERROR: x:1:2:3:4 y', ['x:1:2']],
    ['RUNTIME ERROR: a:1:1 /b:2:3 Unknown variable: c:4:5 d', ['a', 'a:1:1 /b', 'a:1:1 /b:2:3 Unknown variable: c']],
  ])('gives every file a parse error in an imported file may be of: %j', (said, files) => {
    expect(importedErrorFiles(said)).toEqual(files);
  });

  it.each([
    'main.jsonnet:2:1 Unexpected: end of file while parsing field definition',
    `RUNTIME ERROR: couldn't open import "nowhere.libsonnet": no match locally or in the Jsonnet library paths | main.jsonnet:1:1-26`,
    'stat main.jsonnet: no such file or directory',
  ])('has nothing to hide in an error of the file checked or a missing import: %j', (said) => {
    expect(importedErrorFiles(said)).toBeUndefined();
  });

  it('cannot tell the file of a runtime error without a location', () => {
    expect(importedErrorFiles('RUNTIME ERROR: open /etc/x: permission denied')).toEqual([]);
    expect(importedErrorFiles('RUNTIME ERROR: something new')).toEqual([]);
  });
});
