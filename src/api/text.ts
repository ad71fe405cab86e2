/** Code-unit order, the same in every locale: the one string comparator of Capstan. */
export function compareCodeUnits(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/** The first `n` code units of `text`, one fewer when the cut would split a surrogate pair. */
function headOf(text: string, n: number): string {
  if (n <= 0) return '';
  if (n >= text.length) return text;
  return text.slice(0, isHighSurrogate(text.charCodeAt(n - 1)) ? n - 1 : n);
}

/** The last `n` code units of `text`, one fewer when the cut would split a surrogate pair. */
function tailOf(text: string, n: number): string {
  if (n <= 0) return '';
  if (n >= text.length) return text;
  const start = text.length - n;
  return text.slice(isHighSurrogate(text.charCodeAt(start - 1)) ? start + 1 : start);
}

export interface BoundTextOptions {
  /** Also keep up to this many code units of the end (where an error often says what is wrong). */
  readonly keepEnd?: number;
}

/**
 * `text` in at most `max` UTF-16 code units. A longer text keeps its beginning (and, with
 * `keepEnd`, its end) and says how much was left out. The one way Capstan shortens text it
 * writes into status, Events and logs.
 */
export function boundText(text: string, max: number, options: BoundTextOptions = {}): string {
  if (text.length <= max) return text;
  // The marker names the count left out; room is reserved for the longest count possible.
  const marker = (omitted: number): string => `… (${omitted} more characters)`;
  const room = max - marker(text.length).length - 2;
  if (room <= 0) return headOf(text, max);
  const tail = tailOf(text, Math.min(options.keepEnd ?? 0, Math.floor(room / 2)));
  const head = headOf(text, room - tail.length);
  const omitted = text.length - head.length - tail.length;
  return tail === '' ? `${head}${marker(omitted)}` : `${head} ${marker(omitted)} ${tail}`;
}

export interface BoundListOptions {
  /** Items named; the rest are counted ("… and 12 more"). Default 10. */
  readonly maxItems?: number;
  /** Each item is bounded to this many code units. Default 256. */
  readonly maxItemChars?: number;
  /** A shortened item keeps this much of its end too (names often differ at the end). Default 0. */
  readonly itemKeepEnd?: number;
  /** Fewer items are named when naming them would pass this many code units. Default 1000. */
  readonly maxChars?: number;
  /** Default ', '. */
  readonly separator?: string;
}

/** A list for a message: the first items (each bounded), then how many more there are. */
export function boundList(items: readonly string[], options: BoundListOptions = {}): string {
  const maxItems = Math.max(0, options.maxItems ?? 10);
  const maxChars = options.maxChars ?? 1000;
  const separator = options.separator ?? ', ';
  const shown: string[] = [];
  let used = 0;
  for (const item of items.slice(0, maxItems)) {
    const text = boundText(item, options.maxItemChars ?? 256, { keepEnd: options.itemKeepEnd ?? 0 });
    // Room is kept for the count of the rest (" … and 1234567 more").
    const after = used + (shown.length > 0 ? separator.length : 0) + text.length;
    if (shown.length > 0 && after + 24 > maxChars) break;
    shown.push(text);
    used = after;
  }
  const rest = items.length - shown.length;
  if (rest === 0) return shown.join(separator);
  return shown.length === 0 ? `${rest} items` : `${shown.join(separator)} … and ${rest} more`;
}
