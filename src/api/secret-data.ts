import { isRecord, type KubeObject } from './object.js';

/**
 * A Secret's data, base64-decoded, without empty values. Values are trimmed, except those of
 * `keepWhitespace` (keys and certificates, whose final newline matters).
 */
export function decodedSecretData(secret: KubeObject, keepWhitespace: readonly string[] = []): Map<string, string> {
  const raw: unknown = (secret as unknown as Record<string, unknown>)['data'];
  const found = new Map<string, string>();
  if (!isRecord(raw)) return found;
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') continue;
    const text = Buffer.from(value, 'base64').toString('utf8');
    const kept = keepWhitespace.includes(key) ? text : text.trim();
    if (kept.trim() !== '') found.set(key, kept);
  }
  return found;
}
