// Text from repositories, Applications and the API server reaches the terminal only through
// these functions: control characters (which start escape sequences that move the cursor, set
// the window title or write the clipboard) and bidirectional overrides (which reorder what a
// reader sees) are shown as visible escapes instead of being interpreted.

/** C0 controls, DEL, C1 controls, and the Unicode bidirectional formatting characters. */
// eslint-disable-next-line no-control-regex -- matching control characters is this regex's purpose
const unsafe = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

const named: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

function visibleEscape(char: string): string {
  const name = named[char];
  if (name !== undefined) return name;
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every control and bidirectional formatting character shown as an escape (`\e`, `\x9b`, `\u202e`). */
export function terminalSafe(text: string): string {
  return text.replace(unsafe, visibleEscape);
}

/** Like terminalSafe, keeping line breaks: for multi-line text such as a diff. */
export function terminalSafeLines(text: string): string {
  return text.split('\n').map(terminalSafe).join('\n');
}

/** `value` with terminalSafe applied to every string in it, keys included (for tables built from API objects). */
export function terminalSafeDeep<T>(value: T): T {
  return deep(value) as T;
}

function deep(value: unknown): unknown {
  if (typeof value === 'string') return terminalSafe(value);
  if (Array.isArray(value)) return value.map(deep);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [terminalSafe(k), deep(v)]));
  }
  return value;
}

/** Characters JSON.stringify leaves raw that a terminal would act on (C0 it escapes already). */
const unsafeInJson = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * JSON text with DEL, C1 and bidirectional formatting characters written as \u escapes. They
 * can only occur inside JSON strings, where the escape means the same character: the data is
 * unchanged, the terminal never sees the raw character.
 */
export function jsonTerminalSafe(json: string): string {
  return json.replace(unsafeInJson, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** An SGR (colour) sequence, the only escape sequence Capstan's own output contains. */
// eslint-disable-next-line no-control-regex -- an escape sequence starts with ESC
const colourSequence = /\u001b\[[0-9;]*m/gu;

/**
 * Like terminalSafe, but keeps colour (SGR) sequences: for output already coloured by the CLI.
 * Its data went through terminalSafe before it was coloured; this is the second line of defence
 * against a cursor movement, title or clipboard sequence that came in some other way.
 */
export function terminalSafeKeepingColour(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(colourSequence)) {
    out += terminalSafe(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + terminalSafe(text.slice(last));
}
