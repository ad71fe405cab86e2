import { describe, expect, it } from '@jest/globals';
import { byteSizeFlag, parseByteSize } from './byte-size.js';

describe('parseByteSize', () => {
  it.each([
    ['1048576', 1048576], ['10Mi', 10 * 1024 * 1024], ['512Ki', 512 * 1024], ['1Gi', 1024 ** 3], ['5M', 5_000_000], ['3k', 3000], [' 7 ', 7],
  ])('reads %j as %d bytes', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });

  it.each(['', '10MB', '10mi', '-1', '1.5Mi', 'Mi', '99999999999999999Gi'])('refuses %j', (text) => {
    expect(parseByteSize(text)).toBeUndefined();
  });

  it('refuses zero and non-sizes as flag values, naming the flag', () => {
    expect(() => byteSizeFlag('max-manifest-bytes', '0')).toThrow('--max-manifest-bytes "0" is not a size such as 10Mi, 512Ki or 1048576');
    expect(byteSizeFlag('max-manifest-bytes', '10Mi')).toBe(10 * 1024 * 1024);
  });
});
