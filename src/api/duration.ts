const unitMs: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3, // U+00B5 MICRO SIGN
  μs: 1e-3, // U+03BC GREEK SMALL LETTER MU
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

// One "<number><unit>" component; 'ms' is listed before 'm' so it wins.
const component = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/**
 * Parses a Go duration as written in the CRD ('500ms', '5s', '3m', '1h30m', '1.5h') into milliseconds.
 * As in Go, a bare '0' is zero and components may be fractional. Unlike Go, signs are refused:
 * no CRD duration may be negative. Returns undefined for anything else ('', '5', '1x', '-1s').
 */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  if (text === '') return undefined;
  let total = 0;
  component.lastIndex = 0;
  while (component.lastIndex < text.length) {
    const match = component.exec(text);
    if (match === null) return undefined;
    const [, amount = '', unit = ''] = match;
    const scale = unitMs[unit];
    if (scale === undefined) return undefined;
    total += Number(amount) * scale;
  }
  return Number.isFinite(total) ? total : undefined;
}
