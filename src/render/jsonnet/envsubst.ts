/**
 * Replaces `$NAME` and `${NAME}` in `text` with the build environment's values, as Argo CD does
 * to the values of Jsonnet variables and top-level arguments (Go's os.Expand): a name the
 * environment does not hold becomes the empty string, `$$` is one `$`, a `$` followed by no name
 * stays as it is, and a malformed `${` or `${}` is dropped. Pure.
 */
export function expandBuildEnv(text: string, env: Readonly<Record<string, string>>): string {
  let out = '';
  let copiedTo = 0;
  for (let at = 0; at < text.length; at++) {
    if (text[at] !== '$' || at + 1 >= text.length) continue;
    out += text.slice(copiedTo, at);
    const { name, width } = shellName(text, at + 1);
    if (name === '' && width === 0) out += '$';
    else if (name === '$') out += '$';
    else if (name !== '') out += Object.hasOwn(env, name) ? (env[name] ?? '') : '';
    at += width;
    copiedTo = at + 1;
  }
  return copiedTo === 0 ? text : out + text.slice(copiedTo);
}

/** One-character names the shell gives a meaning of its own ($$, $1, ${#}): Go reads them as names too. */
const SPECIAL = new Set(['*', '#', '$', '@', '!', '?', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

/** The name after a `$` at `start`, and how many characters it takes (a name '' with a width is malformed). */
function shellName(text: string, start: number): { name: string; width: number } {
  const first = text.charAt(start);
  if (first === '{') {
    const second = text.charAt(start + 1);
    if (text.length > start + 2 && SPECIAL.has(second) && text[start + 2] === '}') return { name: second, width: 3 };
    const close = text.indexOf('}', start + 1);
    if (close === -1) return { name: '', width: 1 };
    if (close === start + 1) return { name: '', width: 2 };
    return { name: text.slice(start + 1, close), width: close - start + 1 };
  }
  if (SPECIAL.has(first)) return { name: first, width: 1 };
  let end = start;
  while (end < text.length && /[A-Za-z0-9_]/.test(text.charAt(end))) end++;
  return { name: text.slice(start, end), width: end - start };
}
