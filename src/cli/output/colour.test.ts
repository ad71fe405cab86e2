import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { colours, shouldColour } from './colour.js';
import { colourDiff } from './diff-colour.js';
import { colourHealth, colourSync } from './status-colour.js';

function stream(isTTY: boolean): NodeJS.WritableStream {
  const s = new Writable({
    write: (_chunk, _encoding, callback) => {
      callback();
    },
  });
  return Object.assign(s, { isTTY });
}

describe('colours', () => {
  it('wraps text in ANSI colour codes when enabled', () => {
    const c = colours(true);
    expect(c.green('ok')).toBe('\u001b[32mok\u001b[39m');
    expect(c.red('no')).toBe('\u001b[31mno\u001b[39m');
    expect(c.yellow('wait')).toBe('\u001b[33mwait\u001b[39m');
    expect(c.cyan('@@')).toBe('\u001b[36m@@\u001b[39m');
    expect(c.bold('b')).toBe('\u001b[1mb\u001b[22m');
    expect(c.dim('d')).toBe('\u001b[2md\u001b[22m');
  });

  it('returns text unchanged when disabled', () => {
    const c = colours(false);
    expect([c.green('a'), c.red('b'), c.yellow('c'), c.cyan('d'), c.bold('e'), c.dim('f')]).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });
});

describe('shouldColour', () => {
  it('auto colours a terminal only', () => {
    expect(shouldColour('auto', { stream: stream(true), env: {} })).toBe(true);
    expect(shouldColour('auto', { stream: stream(false), env: {} })).toBe(false);
  });

  it('auto honours NO_COLOR when it is set to anything but the empty string', () => {
    expect(shouldColour('auto', { stream: stream(true), env: { NO_COLOR: '1' } })).toBe(false);
    expect(shouldColour('auto', { stream: stream(true), env: { NO_COLOR: '' } })).toBe(true);
  });

  it('always and never override the terminal and NO_COLOR', () => {
    expect(shouldColour('always', { stream: stream(false), env: { NO_COLOR: '1' } })).toBe(true);
    expect(shouldColour('never', { stream: stream(true), env: {} })).toBe(false);
  });
});

describe('colourDiff', () => {
  const diff = ['--- live/Deployment/ns/web', '+++ git/Deployment/ns/web', '@@ -1,3 +1,3 @@', ' spec:', '-  replicas: 2', '+  replicas: 5', ''].join('\n');

  it('colours removed lines red, added lines green, hunk headers cyan and file headers bold', () => {
    const c = colours(true);
    expect(colourDiff(diff, c).split('\n')).toEqual([
      c.bold('--- live/Deployment/ns/web'),
      c.bold('+++ git/Deployment/ns/web'),
      c.cyan('@@ -1,3 +1,3 @@'),
      ' spec:',
      c.red('-  replicas: 2'),
      c.green('+  replicas: 5'),
      '',
    ]);
  });

  it('leaves the text as it is without colour', () => {
    expect(colourDiff(diff, colours(false))).toBe(diff);
  });
});

describe('colourHealth and colourSync', () => {
  const c = colours(true);
  it('colours statuses by how good they are, and gives nothing for no status', () => {
    expect(colourHealth('Healthy', c)).toBe(c.green('Healthy'));
    expect(colourHealth('Progressing', c)).toBe(c.yellow('Progressing'));
    expect(colourHealth('Suspended', c)).toBe(c.yellow('Suspended'));
    expect(colourHealth('Degraded', c)).toBe(c.red('Degraded'));
    expect(colourHealth('Missing', c)).toBe(c.red('Missing'));
    expect(colourHealth('Unknown', c)).toBe(c.dim('Unknown'));
    expect(colourHealth(null, c)).toBe('');
    expect(colourSync('Synced', c)).toBe(c.green('Synced'));
    expect(colourSync('OutOfSync', c)).toBe(c.yellow('OutOfSync'));
    expect(colourSync('Unknown', c)).toBe(c.dim('Unknown'));
    expect(colourSync(undefined, c)).toBe('');
  });
});
