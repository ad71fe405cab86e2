import { isRecord } from '../api/object.js';
import type { ResourceClient } from './resources.js';

export interface SecretDataReaderOptions {
  /** How long a read Secret is used before it is read again (default 5 s). */
  readonly cacheMs?: number;
  /** How long a failed read is answered with its error before the API server is asked again (default 1 s). */
  readonly failureCacheMs?: number;
  readonly now?: () => number;
}

/**
 * Reads the data of one Secret (each value decoded and trimmed, blank ones left out), cached for
 * a few seconds so a rotated value applies quickly without a read per use. Concurrent callers
 * share one read, and a failed read is remembered briefly, so a flood of callers is never a flood
 * of GETs. No Secret reads as no data.
 */
export function secretDataReader(resources: ResourceClient, namespace: string, name: string, options: SecretDataReaderOptions = {}): () => Promise<Readonly<Record<string, string>>> {
  const { cacheMs = 5_000, failureCacheMs = 1_000, now = Date.now } = options;
  let cached: { at: number; values: Record<string, string> } | undefined;
  let failed: { at: number; error: Error } | undefined;
  let reading: Promise<Record<string, string>> | undefined;
  const read = async (): Promise<Record<string, string>> => {
    try {
      const values = decodedData(await resources.get('v1', 'Secret', namespace, name));
      cached = { at: now(), values };
      failed = undefined;
      return values;
    } catch (error) {
      failed = { at: now(), error: error instanceof Error ? error : new Error(String(error)) };
      throw error;
    } finally {
      reading = undefined;
    }
  };
  return () => {
    if (cached !== undefined && now() - cached.at < cacheMs) return Promise.resolve(cached.values);
    if (failed !== undefined && now() - failed.at < failureCacheMs) return Promise.reject(failed.error);
    reading ??= read();
    return reading;
  };
}

function decodedData(secret: Record<string, unknown> | undefined): Record<string, string> {
  const data = secret !== undefined && isRecord(secret['data']) ? secret['data'] : {};
  const values: Record<string, string> = {};
  for (const [key, encoded] of Object.entries(data)) {
    if (typeof encoded !== 'string' || encoded === '') continue;
    const value = Buffer.from(encoded, 'base64').toString('utf8').trim();
    if (value !== '') values[key] = value;
  }
  return values;
}
