import { describe, expect, it } from '@jest/globals';
import { colours } from './colour.js';
import { humanAge, humanDuration, renderTable, visibleWidth } from './table.js';

describe('renderTable', () => {
  it('upper-cases headers, left-aligns columns three spaces apart and trims trailing spaces', () => {
    const table = renderTable(
      ['name', 'sync status', 'age'],
      [
        ['guestbook', 'Synced', '5m'],
        ['a', 'OutOfSync', '3h'],
      ],
    );
    expect(table).toBe(['NAME        SYNC STATUS   AGE', 'guestbook   Synced        5m', 'a           OutOfSync     3h', ''].join('\n'));
  });

  it('prints <none> for empty and missing cells and ignores cells beyond the columns', () => {
    expect(renderTable(['kind', 'message'], [['Pod', ''], ['ConfigMap'], ['Job', 'done', 'extra']])).toBe(
      ['KIND        MESSAGE', 'Pod         <none>', 'ConfigMap   <none>', 'Job         done', ''].join('\n'),
    );
  });

  it('prints only the header for no rows', () => {
    expect(renderTable(['name', 'age'], [])).toBe('NAME   AGE\n');
  });

  it('measures coloured cells by what is visible, so colour does not break alignment', () => {
    const c = colours(true);
    const table = renderTable(['health', 'name'], [[c.green('Healthy'), 'web'], [c.red('Degraded'), 'db']]);
    const lines = table.split('\n');
    expect(lines[1]).toBe(`${c.green('Healthy')}    web`);
    expect(lines[2]).toBe(`${c.red('Degraded')}   db`);
  });

  it('counts a character made of several code points once', () => {
    expect(visibleWidth('café')).toBe(4);
    expect(visibleWidth('e\u0301')).toBe(1);
    expect(visibleWidth(colours(true).bold('abc'))).toBe(3);
  });
});

describe('humanDuration (kubectl AGE)', () => {
  const s = 1000;
  const m = 60 * s;
  const h = 60 * m;
  const d = 24 * h;
  const y = 365 * d;
  it.each<[number, string]>([
    [-5 * s, '<invalid>'],
    [-1500, '0s'],
    [0, '0s'],
    [999, '0s'],
    [45 * s, '45s'],
    [90 * s, '90s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [2 * m + 30 * s, '2m30s'],
    [5 * m + 30 * s, '5m30s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m + 30 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [5 * h + 20 * m, '5h20m'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h + 30 * m, '8h'],
    [47 * h, '47h'],
    [2 * d, '2d'],
    [2 * d + 4 * h, '2d4h'],
    [7 * d + 23 * h, '7d23h'],
    [8 * d + 5 * h, '8d'],
    [729 * d, '729d'],
    [2 * y, '2y'],
    [3 * y + 10 * d, '3y10d'],
    [8 * y + 100 * d, '8y'],
  ])('%d ms → %s', (ms, expected) => {
    expect(humanDuration(ms)).toBe(expected);
  });
});

describe('humanAge', () => {
  const now = new Date('2024-05-01T12:00:00Z');
  it('takes a Date or an RFC 3339 timestamp as Kubernetes writes it', () => {
    expect(humanAge('2024-05-01T11:57:30Z', now)).toBe('2m30s');
    expect(humanAge(new Date('2024-04-29T08:00:00Z'), now)).toBe('2d4h');
  });

  it('says <unknown> for a timestamp it cannot read', () => {
    expect(humanAge('yesterday', now)).toBe('<unknown>');
  });

  it('measures against the current time by default', () => {
    expect(humanAge(new Date(Date.now() - 45_000))).toMatch(/^4[5-9]s$/);
  });
});
