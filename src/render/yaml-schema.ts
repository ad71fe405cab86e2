import { randomUUID } from 'node:crypto';
import yaml from 'js-yaml';

// ---------------------------------------------------------------------------------------------
// YAML is read as kubectl reads it: sigs.k8s.io/yaml over go-yaml v2, which is YAML 1.1 with the
// scalar rules of go-yaml's resolve table (resolve.go). The types below follow that table, not the
// YAML 1.1 type repository: no sexagesimal numbers (`12:30` stays a string), no timestamps
// (`2024-01-01` stays a string, as go-yaml returns it when decoding into interface{}), and no tag
// that yields anything but JSON data. Unlike kubectl, Capstan refuses what it cannot read plainly:
// unknown tags (kubectl ignores them), !!binary (kubectl sends the decoded bytes in place of the
// text, so a binaryData entry no longer holds base64), and duplicate keys (kubectl keeps the last).
// ---------------------------------------------------------------------------------------------

export const YAML_TAG = 'tag:yaml.org,2002:';
export const FLOAT_TAG = `${YAML_TAG}float`;

// go-yaml v2 accepts exactly these.
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const BOOLS = new Map<string, boolean>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((word) => [word, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((word) => [word, false] as const),
]);
// A plain scalar that starts with a digit or a sign has every '_' removed, then goes to Go's
// strconv.ParseInt(s, 0, 64): 0x hex, 0o and legacy 0 octal (0644 is 420), 0b binary, decimal.
// The patterns therefore allow '_' anywhere after the first character. go-yaml's own fallback for
// 0b also reads a sign after the prefix (0b-1 is -1), hence the last alternative.
const INT_RE =
  /^(?:(?:[-+]_*)?(?:0_*[xX]_*[0-9a-fA-F][0-9a-fA-F_]*|0_*[oO]_*[0-7][0-7_]*|0_*[bB]_*[01][01_]*|0[0-7_]*|[1-9][0-9_]*)|0_*[bB]_*[-+]_*[01][01_]*)$/;
// What is not an int then matches go-yaml's yamlStyleFloat (so 08 and 09 are the floats 8 and 9).
const FLOAT_RE =
  /^(?:[0-9][0-9_]*(?:\.[0-9_]*)?|[-+]_*(?:\.[0-9_]*[0-9][0-9_]*|[0-9][0-9_]*(?:\.[0-9_]*)?))(?:[eE]_*(?:[-+]_*)?[0-9][0-9_]*)?$/;
// A plain scalar starting with '.' goes to strconv.ParseFloat as it is: '_' only between digits.
const DOT_FLOAT_RE = /^\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?$/;
const SPECIAL_FLOAT_RE = /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

const INT64_MAX = 2n ** 63n - 1n;

function goInt(source: string): number | string {
  if (/^[1-9][0-9]{0,14}$/.test(source)) return Number(source); // the common case
  let plain = source.replace(/_/g, '');
  if (/^0[bB][-+]/.test(plain)) plain = `${plain.charAt(2)}0b${plain.slice(3)}`;
  const sign = /^[-+]/.test(plain) ? plain.charAt(0) : '';
  const digits = sign === '' ? plain : plain.slice(1);
  // Number() and BigInt() read 0x, 0o and 0b themselves, but take a leading 0 for decimal.
  const text = /^0[0-7]+$/.test(digits) ? `0o${digits.slice(1)}` : digits;
  if (digits.length > 15) {
    // ParseInt takes -2^63 to 2^63-1, then ParseUint (which takes no sign) up to 2^64-1. Past
    // those, decimal digits are read as a float and anything else stays text.
    const limit = sign === '-' ? INT64_MAX + 1n : sign === '+' ? INT64_MAX : 2n * INT64_MAX + 1n;
    if (BigInt(text) > limit) return /^[0-9]+$/.test(digits) ? Number(plain) : source;
  }
  const value = Number(text);
  return sign === '-' && value !== 0 ? -value : value;
}

function goFloat(source: string): number | string {
  if (INT_RE.test(source)) return goInt(source); // only through an explicit tag: `!!float 1` is 1
  if (SPECIAL_FLOAT_RE.test(source)) return /nan/i.test(source) ? NaN : source.startsWith('-') ? -Infinity : Infinity;
  // A float out of float64's range is an error for ParseFloat, so go-yaml keeps the text.
  const value = Number(source.replace(/_/g, ''));
  return Number.isFinite(value) ? value : source;
}

/** Whether a scalar may be a number: go-yaml only tries those that start like one. */
function numberLike(data: string | null): data is string {
  if (data === null) return false; // an empty node with an explicit tag
  const c = data.charCodeAt(0);
  return (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e; // digit, '-', '+', '.'
}

// js-yaml tries the implicit types in this order on every plain scalar; the first whose resolve
// accepts it constructs the value. The lookups and first-character checks keep the common case
// (a word) cheap.
const NULL = new yaml.Type(`${YAML_TAG}null`, {
  kind: 'scalar',
  resolve: (data: string | null) => data === null || (data.length <= 4 && NULLS.has(data)),
  construct: () => null,
});

const BOOL = new yaml.Type(`${YAML_TAG}bool`, {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && data.length <= 5 && BOOLS.has(data),
  construct: (data: string) => BOOLS.get(data) === true,
});

const INT = new yaml.Type(`${YAML_TAG}int`, {
  kind: 'scalar',
  resolve: (data: string | null) => numberLike(data) && INT_RE.test(data),
  construct: goInt,
});

const FLOAT = new yaml.Type(FLOAT_TAG, {
  kind: 'scalar',
  resolve: (data: string | null) =>
    numberLike(data) && (FLOAT_RE.test(data) || DOT_FLOAT_RE.test(data) || SPECIAL_FLOAT_RE.test(data) || INT_RE.test(data)),
  construct: goFloat,
});

// A plain `<<` (or `!!merge <<`) is a merge key. js-yaml's own merge keeps the keys written
// before `<<`, where go-yaml lets the merged mapping override them, so `<<` is read as an
// ordinary key with a name no document can contain, and NodeReader (yaml-nodes.ts) merges once
// the mapping is complete. Each `<<` gets a name of its own, so that a mapping may hold several;
// one that turns out not to be a key is given back as the string '<<'.
const MERGE_KEY_PREFIX = `\u0000<<${randomUUID()}#`;
export const MERGE_KEY_TAG = 'tag:capstan,merge-key';
let mergeKeys = 0;

const mergeKey = (tag: string) =>
  new yaml.Type(tag, {
    kind: 'scalar',
    resolve: (data: string | null) => data === '<<',
    construct: () => `${MERGE_KEY_PREFIX}${++mergeKeys}`,
  });

export function isMergeKey(value: string): boolean {
  return value.charCodeAt(0) === 0 && value.startsWith(MERGE_KEY_PREFIX);
}

/** Maps, sequences and strings (js-yaml's failsafe schema), and go-yaml's plain scalars. */
export const MANIFEST_SCHEMA = yaml.FAILSAFE_SCHEMA.extend({
  implicit: [NULL, BOOL, INT, FLOAT, mergeKey(MERGE_KEY_TAG)],
  explicit: [mergeKey(`${YAML_TAG}merge`)],
});

/**
 * The JSON name sigs.k8s.io/yaml gives a float key: strconv.FormatFloat(key, 'g', -1, 32), that
 * is the shortest digits that identify the key as a float32, with an exponent from 1e+06 up and
 * below 1e-04; `.inf`, `-.inf` and `.nan` for the values JSON has no number for.
 */
export function floatKeyName(value: number): string {
  const single = Math.fround(value);
  if (Number.isNaN(single)) return '.nan';
  if (!Number.isFinite(single)) return single > 0 ? '.inf' : '-.inf';
  if (single === 0) return Object.is(single, -0) ? '-0' : '0';
  let shortest = single.toExponential(8);
  for (let precision = 1; precision < 9; precision++) {
    const candidate = single.toExponential(precision - 1);
    if (Math.fround(Number(candidate)) === single) {
      shortest = candidate;
      break;
    }
  }
  const [mantissa = '', exponentText = '0'] = shortest.split('e');
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace(/[-.]/g, '').replace(/0+$/, '') || '0';
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const power = String(Math.abs(exponent)).padStart(2, '0');
    return `${sign}${digits.charAt(0)}${fraction}e${exponent < 0 ? '-' : '+'}${power}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}
