import type { Colours } from './colour.js';

/** A unified diff with removed lines red, added lines green, hunk headers cyan and file headers bold. */
export function colourDiff(text: string, c: Colours): string {
  if (!c.enabled) return text;
  return text
    .split('\n')
    .map((line) => {
      if (line.startsWith('--- ') || line.startsWith('+++ ')) return c.bold(line);
      if (line.startsWith('@@')) return c.cyan(line);
      if (line.startsWith('-')) return c.red(line);
      if (line.startsWith('+')) return c.green(line);
      return line;
    })
    .join('\n');
}
