import { stripVTControlCharacters } from 'node:util';
import { terminalSafeKeepingColour } from './terminal-safe.js';

/** What an empty cell shows, as kubectl does. */
export const emptyCell = '<none>';

const columnGap = '   ';

/**
 * A kubectl-style table: upper-case headers, left-aligned columns three spaces apart, `<none>` for empty cells and
 * no trailing spaces. Cells may carry colour: widths are measured without escape sequences; any other control
 * character is shown as an escape. Ends with a newline.
 */
export function renderTable(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = [columns.map((c) => c.toUpperCase()), ...rows.map((row) => columns.map((_, i) => cellText(row[i])))];
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => visibleWidth(row[i] ?? ''))));
  const lines = cells.map((row) =>
    row
      .map((cell, i) => cell + ' '.repeat((widths[i] ?? 0) - visibleWidth(cell)))
      .join(columnGap)
      .trimEnd(),
  );
  return `${lines.join('\n')}\n`;
}

function cellText(value: string | undefined): string {
  return value === undefined || value === '' ? emptyCell : terminalSafeKeepingColour(value);
}

const graphemes = new Intl.Segmenter();

/** Printed width of a cell, in characters as a person counts them; escape sequences take no room. */
export function visibleWidth(text: string): number {
  let width = 0;
  for (const _ of graphemes.segment(stripVTControlCharacters(text))) width++;
  return width;
}

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;
const year = 365 * day;

/** How long ago `from` was, as kubectl's AGE column prints it (`90s`, `2m30s`, `10m`, `3h`, `5h20m`, `2d4h`, `3y`). */
export function humanAge(from: Date | string, now: Date = new Date()): string {
  const start = typeof from === 'string' ? new Date(from) : from;
  const elapsed = now.getTime() - start.getTime();
  return Number.isNaN(elapsed) ? '<unknown>' : humanDuration(elapsed);
}

/**
 * A duration in milliseconds the way Kubernetes' HumanDuration writes it: the larger the duration, the coarser the
 * unit, with a second unit only while it still matters (under 10m, 8h, 8d, 8y). Up to a second in the future reads
 * as 0s (clock skew); further ahead is `<invalid>`.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / second);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 2 * 60) return `${seconds}s`;
  const minutes = Math.trunc(ms / minute);
  if (minutes < 10) return withRest(minutes, 'm', seconds % 60, 's');
  if (minutes < 3 * 60) return `${minutes}m`;
  const hours = Math.trunc(ms / hour);
  if (hours < 8) return withRest(hours, 'h', minutes % 60, 'm');
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(ms / day);
  if (days < 8) return withRest(days, 'd', hours % 24, 'h');
  if (days < 2 * 365) return `${days}d`;
  const years = Math.trunc(ms / year);
  if (years < 8) return withRest(years, 'y', days % 365, 'd');
  return `${years}y`;
}

function withRest(value: number, unit: string, rest: number, restUnit: string): string {
  return rest === 0 ? `${value}${unit}` : `${value}${unit}${rest}${restUnit}`;
}
