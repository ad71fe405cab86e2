import { describe, expect, it } from '@jest/globals';
import { jsonTerminalSafe, terminalSafe, terminalSafeDeep, terminalSafeKeepingColour, terminalSafeLines } from './terminal-safe.js';
import { toJson, toYaml } from './format.js';
import { renderTable } from './table.js';

// A file name from a repository: sets the window title, erases the line, moves the cursor up and
// prints a fake green "all good"; then a C1 CSI, an OSC 52 clipboard write and a bidi override.
const hostile = 'x\u001b]0;PWNED-TITLE\u0007\u001b[2K\u001b[1A\u001b[32mall good\u001b[0m\u009b2J\u001b]52;c;ZXZpbA==\u0007\u202egnp.yaml';

/** Whether `text` holds any character a terminal acts on. */
// eslint-disable-next-line no-control-regex -- the test looks for control characters
const actsOnTerminal = (text: string): boolean => /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u.test(text);

describe('terminalSafe', () => {
  it('shows every control and bidi character as a visible escape', () => {
    const safe = terminalSafe(hostile);
    expect(actsOnTerminal(safe)).toBe(false);
    expect(safe).toBe('x\\e]0;PWNED-TITLE\\x07\\e[2K\\e[1A\\e[32mall good\\e[0m\\x9b2J\\e]52;c;ZXZpbA==\\x07\\u202egnp.yaml');
    expect(terminalSafe('tab\there\nnext\r')).toBe('tab\\there\\nnext\\r');
  });

  it('leaves ordinary text, including non-Latin scripts and emoji, alone', () => {
    const text = 'web-0 Grüße 日本語 🚀 (a/b): ok';
    expect(terminalSafe(text)).toBe(text);
  });

  it('keeps line breaks in multi-line text', () => {
    expect(terminalSafeLines('a\u001b[1A\nb')).toBe('a\\e[1A\nb');
  });

  it('reaches every string of an object, keys too', () => {
    const safe = terminalSafeDeep({ status: { conditions: [{ message: hostile }], [`k\u001b`]: 1 } });
    expect(actsOnTerminal(JSON.stringify(safe).replace(/\\u001b/g, ''))).toBe(false);
    expect(safe.status.conditions[0]?.message).toBe(terminalSafe(hostile));
    expect(Object.keys(safe.status)).toContain('k\\e');
  });

  it('keeps colour sequences only where the CLI is known to colour', () => {
    const coloured = `\u001b[32mSynced\u001b[39m ${hostile}`;
    const safe = terminalSafeKeepingColour(coloured);
    expect(safe.startsWith('\u001b[32mSynced\u001b[39m ')).toBe(true);
    // The hostile part's own SGR survives as colour, but nothing that moves, titles, clears or copies does.
    // eslint-disable-next-line no-control-regex -- the test looks for control characters
    expect(safe).not.toMatch(/\u001b\]|\u001b\[\d*[ABCDHJK]|\u0007|\u009b|\u202e/u);
  });
});

describe('outputs built on it', () => {
  it('tables escape control characters in cells, colour aside', () => {
    const table = renderTable(['type', 'message'], [['Ready', hostile]]);
    // eslint-disable-next-line no-control-regex -- the test looks for control characters
    expect(actsOnTerminal(table.replace(/\n/g, '').replace(/\u001b\[[0-9;]*m/gu, ''))).toBe(false);
    expect(table).not.toContain('\u001b]');
  });

  it('JSON writes DEL, C1 and bidi characters as \\u escapes and keeps the data', () => {
    const json = toJson({ message: hostile });
    expect(actsOnTerminal(json.replace(/\n/g, ''))).toBe(false);
    expect((JSON.parse(json) as { message: string }).message).toBe(hostile);
    expect(jsonTerminalSafe('"\u007f\u0085\u2066"')).toBe('"\\u007f\\u0085\\u2066"');
  });

  it('YAML writes C0, DEL and C1 characters as escapes', () => {
    const yaml = toYaml({ message: hostile.replace('\u202e', '') });
    expect(actsOnTerminal(yaml.replace(/\n/g, ''))).toBe(false);
  });
});
