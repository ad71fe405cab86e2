import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { signBody, verifySignature } from './signature.js';

describe('signBody and verifySignature', () => {
  const body = '{"app":"guestbook","message":"é"}';

  it('is sha256=<hex> of the HMAC-SHA256 of the body bytes', () => {
    const hex = createHmac('sha256', 's3cret').update(Buffer.from(body, 'utf8')).digest('hex');
    expect(signBody(body, 's3cret')).toBe(`sha256=${hex}`);
    expect(signBody(Buffer.from(body, 'utf8'), 's3cret')).toBe(`sha256=${hex}`);
  });

  it('verifies the signature of the same bytes and secret only', () => {
    const header = signBody(body, 's3cret');
    expect(verifySignature(body, 's3cret', header)).toBe(true);
    expect(verifySignature(`${body} `, 's3cret', header)).toBe(false);
    expect(verifySignature(body, 'other', header)).toBe(false);
    expect(verifySignature(body, 's3cret', undefined)).toBe(false);
    expect(verifySignature(body, 's3cret', 'sha256=00')).toBe(false);
  });
});
