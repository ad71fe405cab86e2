// "3m ago" from an ISO 8601 time: what the list and the history show, with the time itself in
// the element's title.

const units: readonly (readonly [string, number])[] = [
  ['y', 365 * 24 * 3600],
  ['mo', 30 * 24 * 3600],
  ['d', 24 * 3600],
  ['h', 3600],
  ['m', 60],
  ['s', 1],
];

/** The time between `iso` and `now` (ms since the epoch), in its largest whole unit; '' for an invalid time. */
export function relativeTime(iso: string, now: number): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const seconds = Math.round((now - then) / 1000);
  const size = Math.abs(seconds);
  if (size < 5) return 'just now';
  for (const [unit, length] of units) {
    if (size >= length) {
      const count = Math.floor(size / length);
      return seconds > 0 ? `${count}${unit} ago` : `in ${count}${unit}`;
    }
  }
  return 'just now';
}
