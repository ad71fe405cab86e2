import type { ResourceClient } from '../cluster/resources.js';
import { secretDataReader, type SecretDataReaderOptions } from '../cluster/secret-data.js';

export const webhookSecretName = 'capstan-webhook';
const providerKeys = ['github', 'gitlab', 'bitbucket', 'gitea', 'generic'] as const;
export type WebhookSecretValues = Partial<Record<(typeof providerKeys)[number], string>>;

export type WebhookSecretsReaderOptions = SecretDataReaderOptions;

/**
 * Reads the webhook secrets from the Secret `capstan-webhook` in the controller's namespace
 * (keys github, gitlab, bitbucket, gitea, generic), cached and shared as secretDataReader does,
 * so a flood of webhooks never becomes a flood of GETs. No Secret means no secrets (and, unless
 * unsigned pushes are allowed, every push is refused).
 */
export function webhookSecretsReader(resources: ResourceClient, namespace: string, options: WebhookSecretsReaderOptions | number = {}): () => Promise<WebhookSecretValues> {
  const read = secretDataReader(resources, namespace, webhookSecretName, typeof options === 'number' ? { cacheMs: options } : options);
  return async () => {
    const data = await read();
    const values: WebhookSecretValues = {};
    for (const key of providerKeys) {
      const value = data[key];
      if (value !== undefined) values[key] = value;
    }
    return values;
  };
}
