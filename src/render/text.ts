import { isUtf8 } from 'node:buffer';

export type DecodedText = { ok: true; text: string } | { ok: false; message: string; line?: number };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The text of a manifest file, which must be UTF-8 (a byte order mark is dropped). Anything
 * else is refused rather than read with replacement characters, which would hide what the file
 * really says: a Latin-1 file, or a UTF-16 one.
 */
export function decodeManifest(bytes: Uint8Array): DecodedText {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { ok: false, message: 'the file is UTF-16 (it starts with a UTF-16 byte order mark); manifests are read as UTF-8' };
  }
  if (!isUtf8(bytes)) {
    const offset = firstInvalidByte(bytes);
    return { ok: false, line: lineOf(bytes, offset), message: `the file is not valid UTF-8 (byte ${offset + 1} is not part of a UTF-8 character); manifests are read as UTF-8` };
  }
  return { ok: true, text: utf8.decode(bytes) };
}

/** Where the first byte sequence that is not UTF-8 starts (the length when there is none). */
function firstInvalidByte(bytes: Uint8Array): number {
  let at = 0;
  while (at < bytes.length) {
    const length = sequenceLength(bytes, at);
    if (length === 0) return at;
    at += length;
  }
  return bytes.length;
}

/** Length of the well-formed UTF-8 sequence at `at` (RFC 3629), 0 when it is not one. */
function sequenceLength(bytes: Uint8Array, at: number): number {
  const first = bytes[at] ?? 0;
  if (first < 0x80) return 1;
  // The range of the second byte depends on the first: no overlong forms, surrogates or values past U+10FFFF.
  const [length, low, high] =
    first >= 0xc2 && first <= 0xdf ? [2, 0x80, 0xbf]
      : first === 0xe0 ? [3, 0xa0, 0xbf]
        : first === 0xed ? [3, 0x80, 0x9f]
          : first >= 0xe1 && first <= 0xef ? [3, 0x80, 0xbf]
            : first === 0xf0 ? [4, 0x90, 0xbf]
              : first >= 0xf1 && first <= 0xf3 ? [4, 0x80, 0xbf]
                : first === 0xf4 ? [4, 0x80, 0x8f]
                  : [0, 0, 0];
  if (length === 0) return 0;
  const second = bytes[at + 1];
  if (second === undefined || second < low || second > high) return 0;
  for (let i = 2; i < length; i++) {
    const next = bytes[at + i];
    if (next === undefined || next < 0x80 || next > 0xbf) return 0;
  }
  return length;
}

function lineOf(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < offset; i = bytes.indexOf(0x0a, i + 1)) line++;
  return line;
}
