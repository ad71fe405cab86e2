/** RFC 6901 JSON pointers: parsing and formatting of reference tokens. */

/** Tokens of a pointer ('/a/b~1c' → ['a', 'b/c']); undefined for '' (the whole document) or a malformed pointer. */
export function parsePointer(pointer: string): string[] | undefined {
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
}

export function escapeToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** An array index token as RFC 6901 allows it: digits, no leading zero. */
export function arrayIndexOf(token: string): number | undefined {
  return /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : undefined;
}
