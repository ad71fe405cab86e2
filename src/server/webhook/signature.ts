/** Signature and token checks shared by the providers; node:crypto does the work, in constant time. */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const sha256HexDigest = /^[0-9a-f]{64}$/i;
const sha256Prefix = 'sha256=';

/** True when `signatureHex` is the hex HMAC-SHA256 of `body` under `secret`. */
export function hmacSha256Matches(body: Buffer, secret: string, signatureHex: string | undefined): boolean {
  if (signatureHex === undefined || !sha256HexDigest.test(signatureHex)) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(signatureHex, 'hex'));
}

/** The hex digest of a `sha256=<hex>` header value, or undefined for any other form. */
export function prefixedSha256(header: string | undefined): string | undefined {
  if (header === undefined || !header.toLowerCase().startsWith(sha256Prefix)) return undefined;
  return header.slice(sha256Prefix.length);
}

/**
 * True when the presented token equals the secret. Both are hashed first so that the comparison
 * takes the same time whatever their lengths, and leaks neither.
 */
export function sameToken(presented: string | undefined, secret: string): boolean {
  if (presented === undefined) return false;
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(secret, 'utf8').digest();
  return timingSafeEqual(a, b);
}
