import { describe, expect, it } from '@jest/globals';
import { decodeManifest } from './text.js';

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('decodeManifest', () => {
  it('reads UTF-8, and drops a byte order mark', () => {
    expect(decodeManifest(utf8('name: café ✓ 𝄞\n'))).toEqual({ ok: true, text: 'name: café ✓ 𝄞\n' });
    expect(decodeManifest(bytes(0xef, 0xbb, 0xbf, 0x61))).toEqual({ ok: true, text: 'a' });
    // A replacement character written as such is UTF-8 like any other.
    expect(decodeManifest(utf8('a: \ufffd'))).toEqual({ ok: true, text: 'a: \ufffd' });
  });

  it('refuses Latin-1, naming the line and byte', () => {
    const latin1 = Buffer.from('a: 1\nname: caf\xe9\n', 'latin1');
    expect(decodeManifest(latin1)).toEqual({
      ok: false, line: 2, message: 'the file is not valid UTF-8 (byte 15 is not part of a UTF-8 character); manifests are read as UTF-8',
    });
  });

  it('refuses UTF-16 with either byte order mark', () => {
    for (const bom of [[0xff, 0xfe], [0xfe, 0xff]]) {
      expect(decodeManifest(bytes(...bom, 0x61, 0x00))).toEqual({ ok: false, message: 'the file is UTF-16 (it starts with a UTF-16 byte order mark); manifests are read as UTF-8' });
    }
  });

  it.each([
    ['an overlong form', [0xc0, 0xaf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['a value past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a cut sequence', [0xe2, 0x9c]],
    ['a stray continuation byte', [0x80]],
  ])('refuses %s', (_what, sequence) => {
    expect(decodeManifest(bytes(0x61, ...sequence, 0x62))).toMatchObject({ ok: false, line: 1, message: expect.stringContaining('byte 2 ') as unknown as string });
  });
});
