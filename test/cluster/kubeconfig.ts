import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';

export interface AdminKubeconfigInput {
  readonly server: string;
  readonly caCertPem: string;
  readonly clientCertPem: string;
  readonly clientKeyPem: string;
  readonly user: string;
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** A self-contained kubeconfig (certificates inlined) for the admin user of the local control plane. */
export function renderAdminKubeconfig(input: AdminKubeconfigInput): string {
  const name = 'capstan-local';
  return yaml.dump({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: input.server, 'certificate-authority-data': b64(input.caCertPem) } }],
    users: [{ name: input.user, user: { 'client-certificate-data': b64(input.clientCertPem), 'client-key-data': b64(input.clientKeyPem) } }],
    contexts: [{ name, context: { cluster: name, user: input.user, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  });
}

export function readPem(path: string): string {
  return readFileSync(path, 'utf8');
}
