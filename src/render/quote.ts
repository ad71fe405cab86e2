// Text from a repository reaches status, Events and logs only through these: quoted, escaped
// (so that control, bidi and other invisible characters show as \u escapes) and short.

/** Longest part of a value quoted in a message, in UTF-16 code units. */
export const MAX_QUOTED_CHARS = 64;

/**
 * `value` as a JSON string, every character outside printable ASCII escaped, and at most
 * `max` code units of it: a longer value is cut and says how long it is.
 */
export function quote(value: string, max = MAX_QUOTED_CHARS): string {
  if (value.length <= max) return escapeText(JSON.stringify(value));
  let end = max;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${escapeText(JSON.stringify(value.slice(0, end)))}… (${value.length} characters)`;
}

/** Every character outside printable ASCII as a \u escape. */
function escapeText(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * What a value is, for a message: its type, and for a scalar its value quoted and cut short
 * (`the string "abc"`, `the number 5`). With `content: false` a string is described by its
 * length only, for values that may be anything at all (a stray token file).
 */
export function describeValue(value: unknown, options: { content?: boolean } = {}): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    if (options.content === false) return `a string of ${value.length} characters`;
    return `the string ${quote(value)}`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    // A number or boolean prints in at most 24 characters.
    return options.content === false ? `a ${typeof value}` : `the ${typeof value} ${String(value)}`;
  }
  return `a ${typeof value}`;
}

/** Text made of repository content (a path of keys, a name): escaped as in `quote`, and cut to `max`. */
export function boundedText(text: string, max = 2 * MAX_QUOTED_CHARS): string {
  return text.length <= max ? escapeText(text) : `${escapeText(text.slice(0, max))}…`;
}
