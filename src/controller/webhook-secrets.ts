import { isRecord } from '../api/object.js';
import type { ResourceClient } from '../cluster/resources.js';

export const webhookSecretName = 'capstan-webhook';
const providerKeys = ['github', 'gitlab', 'bitbucket', 'gitea', 'generic'] as const;
export type WebhookSecretValues = Partial<Record<(typeof providerKeys)[number], string>>;

/**
 * Reads the webhook secrets from the Secret `capstan-webhook` in the controller's namespace
 * (keys github, gitlab, bitbucket, gitea, generic), cached for a few seconds so a rotated
 * secret applies quickly without a read per request. No Secret means no secrets.
 */
export function webhookSecretsReader(resources: ResourceClient, namespace: string, cacheMs = 5_000): () => Promise<WebhookSecretValues> {
  let cached: { at: number; values: WebhookSecretValues } | undefined;
  return async () => {
    if (cached !== undefined && Date.now() - cached.at < cacheMs) return cached.values;
    const secret = await resources.get('v1', 'Secret', namespace, webhookSecretName);
    const data = secret !== undefined && isRecord(secret['data']) ? secret['data'] : {};
    const values: WebhookSecretValues = {};
    for (const key of providerKeys) {
      const encoded = data[key];
      if (typeof encoded === 'string' && encoded !== '') values[key] = Buffer.from(encoded, 'base64').toString('utf8').trim();
    }
    cached = { at: Date.now(), values };
    return values;
  };
}
