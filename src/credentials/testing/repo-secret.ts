/** A repository Secret for tests, its data base64-encoded as the API server gives it. */
import type { KubeObject } from '../../api/object.js';

export function repoSecret(name: string, data: Record<string, string>, label = 'capstan.dev/secret-type', kind = 'repository'): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Secret',
    metadata: { name, namespace: 'capstan', labels: { [label]: kind } },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  };
}
