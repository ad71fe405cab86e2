/** The signature of webhook bodies: HMAC-SHA256 of the exact body bytes, as GitHub's X-Hub-Signature-256. */

import { createHmac, timingSafeEqual } from 'node:crypto';

export const signatureHeader = 'X-Capstan-Signature';

/** `sha256=<hex>` of the body with the secret. */
export function signBody(body: string | Uint8Array, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Is the header the body's signature with the secret? Compared in constant time. */
export function verifySignature(body: string | Uint8Array, secret: string, header: string | undefined): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(signBody(body, secret));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
