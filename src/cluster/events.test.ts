import { describe, expect, it } from '@jest/globals';
import { eventName } from './events.js';

const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

describe('eventName', () => {
  it('is <object>.<digest> for ordinary names', () => {
    expect(eventName('web', 'abcdef012345')).toBe('web.abcdef012345');
  });

  it('stays within 253 characters and a valid name for objects with names up to 253 characters', () => {
    for (const name of ['a'.repeat(240), 'a'.repeat(241), 'b'.repeat(253), `${'c'.repeat(230)}-${'d'.repeat(22)}`, `${'e'.repeat(229)}.-x${'f'.repeat(21)}`]) {
      const out = eventName(name, 'abcdef012345');
      expect(out.length).toBeLessThanOrEqual(253);
      expect(out).toMatch(dns1123Subdomain);
      expect(out.endsWith('.abcdef012345')).toBe(true);
    }
  });

  it('tells long names with the same beginning apart', () => {
    const a = eventName(`${'a'.repeat(250)}-one`, 'abcdef012345');
    const b = eventName(`${'a'.repeat(250)}-two`, 'abcdef012345');
    expect(a).not.toBe(b);
  });
});
