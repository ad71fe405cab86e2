import { describe, expect, it } from '@jest/globals';
import { splitDiff } from '../../src/dashboard/ui/src/split-diff.js';

const unified = [
  '--- live/Deployment/shop/web',
  '+++ git/Deployment/shop/web',
  '@@ -3,6 +3,7 @@',
  ' metadata:',
  '-  replicas: 1',
  '-  image: web:1',
  '+  replicas: 3',
  ' spec:',
  '+  added: true',
  '+  more: 1',
  '-- dropped',
  ' end: x',
  '',
].join('\n');

describe('splitDiff', () => {
  it('pairs each run of removed lines with the added lines after it, numbering both sides', () => {
    expect(splitDiff(unified)).toEqual([
      { type: 'hunk', header: '@@ -3,6 +3,7 @@' },
      { type: 'line', left: { number: 3, text: 'metadata:', change: 'context' }, right: { number: 3, text: 'metadata:', change: 'context' } },
      { type: 'line', left: { number: 4, text: '  replicas: 1', change: 'removed' }, right: { number: 4, text: '  replicas: 3', change: 'added' } },
      { type: 'line', left: { number: 5, text: '  image: web:1', change: 'removed' } },
      { type: 'line', left: { number: 6, text: 'spec:', change: 'context' }, right: { number: 5, text: 'spec:', change: 'context' } },
      { type: 'line', left: { number: 7, text: '- dropped', change: 'removed' }, right: { number: 6, text: '  added: true', change: 'added' } },
      { type: 'line', right: { number: 7, text: '  more: 1', change: 'added' } },
      { type: 'line', left: { number: 8, text: 'end: x', change: 'context' }, right: { number: 8, text: 'end: x', change: 'context' } },
    ]);
  });

  it('shows an object only in Git on the right, and skips "no newline" markers', () => {
    const rows = splitDiff('--- /dev/null\n+++ git/ConfigMap/shop/cfg\n@@ -0,0 +1,2 @@\n+a: 1\n+b: 2\n\\ No newline at end of file\n');
    expect(rows).toEqual([
      { type: 'hunk', header: '@@ -0,0 +1,2 @@' },
      { type: 'line', right: { number: 1, text: 'a: 1', change: 'added' } },
      { type: 'line', right: { number: 2, text: 'b: 2', change: 'added' } },
    ]);
  });

  it('starts each hunk at its own line numbers', () => {
    const rows = splitDiff('@@ -1,1 +1,1 @@\n-a\n+b\n@@ -40,1 +41,1 @@\n-c\n+d\n');
    expect(rows[3]).toEqual({ type: 'line', left: { number: 40, text: 'c', change: 'removed' }, right: { number: 41, text: 'd', change: 'added' } });
  });

  it('gives no rows for an empty diff', () => {
    expect(splitDiff('')).toEqual([]);
  });
});
