import { isRecord } from '../api/object.js';
import type { ResourceClient } from '../cluster/resources.js';

export const webhookSecretName = 'capstan-webhook';
const providerKeys = ['github', 'gitlab', 'bitbucket', 'gitea', 'generic'] as const;
export type WebhookSecretValues = Partial<Record<(typeof providerKeys)[number], string>>;

export interface WebhookSecretsReaderOptions {
  /** How long a read Secret is used before it is read again (default 5 s). */
  readonly cacheMs?: number;
  /** How long a failed read is answered with its error before the API server is asked again (default 1 s). */
  readonly failureCacheMs?: number;
  readonly now?: () => number;
}

/**
 * Reads the webhook secrets from the Secret `capstan-webhook` in the controller's namespace
 * (keys github, gitlab, bitbucket, gitea, generic), cached for a few seconds so a rotated
 * secret applies quickly without a read per request. Concurrent requests share one read, and a
 * failed read is remembered briefly, so a flood of webhooks never becomes a flood of GETs. No
 * Secret means no secrets (and, unless unsigned pushes are allowed, every push is refused).
 */
export function webhookSecretsReader(resources: ResourceClient, namespace: string, options: WebhookSecretsReaderOptions | number = {}): () => Promise<WebhookSecretValues> {
  const { cacheMs = 5_000, failureCacheMs = 1_000, now = Date.now } = typeof options === 'number' ? { cacheMs: options } : options;
  let cached: { at: number; values: WebhookSecretValues } | undefined;
  let failed: { at: number; error: Error } | undefined;
  let reading: Promise<WebhookSecretValues> | undefined;
  const read = async (): Promise<WebhookSecretValues> => {
    try {
      const values = valuesOf(await resources.get('v1', 'Secret', namespace, webhookSecretName));
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

function valuesOf(secret: Record<string, unknown> | undefined): WebhookSecretValues {
  const data = secret !== undefined && isRecord(secret['data']) ? secret['data'] : {};
  const values: WebhookSecretValues = {};
  for (const key of providerKeys) {
    const encoded = data[key];
    if (typeof encoded === 'string' && encoded !== '') {
      const value = Buffer.from(encoded, 'base64').toString('utf8').trim();
      if (value !== '') values[key] = value;
    }
  }
  return values;
}
