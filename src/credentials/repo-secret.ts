/**
 * Parses one repository Secret (pure). A Secret that cannot be used is a value saying why, with
 * its URL when it has one (so an app it would serve is told), and never quoting its data.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { KubeObject } from '../api/object.js';
import { decodedSecretData } from '../api/secret-data.js';
import { secretTypeLabels, type CredentialKind, type RepoCredential, type RepoType } from './types.js';

export type ParsedSecret =
  | { readonly ok: true; readonly credential: RepoCredential }
  | { readonly ok: false; readonly identity: string; readonly kind: CredentialKind; readonly url?: string; readonly reason: string };

const knownKeys = new Set([
  'url', 'name', 'type', 'username', 'password', 'bearerToken', 'sshPrivateKey', 'tlsClientCertData', 'tlsClientCertKey',
  'insecure', 'insecureIgnoreHostKey', 'proxy', 'noProxy', 'enableOCI', 'forceHttpBasicAuth',
]);
const repoTypes: readonly RepoType[] = ['git', 'helm', 'oci'];

/** The kind a Secret's labels give it, or undefined for a Secret that is no repository Secret. */
export function credentialKindOf(secret: KubeObject): CredentialKind | undefined {
  const labels = secret.metadata.labels ?? {};
  for (const label of secretTypeLabels) {
    const value = labels[label];
    if (value === 'repository' || value === 'repo-creds') return value;
  }
  return undefined;
}

export function parseRepoSecret(secret: KubeObject): ParsedSecret {
  const kind = credentialKindOf(secret) ?? 'repository';
  const namespace = secret.metadata.namespace ?? '';
  const name = secret.metadata.name ?? '';
  const identity = `${kind} ${namespace}/${name}`;
  const data = decodedSecretData(secret, ['sshPrivateKey', 'tlsClientCertData', 'tlsClientCertKey']);
  const url = data.get('url');
  const refuse = (reason: string): ParsedSecret => ({ ok: false, identity, kind, ...(url === undefined ? {} : { url }), reason });
  if (url === undefined) return refuse('it has no url');
  const unknown = [...data.keys()].filter((key) => !knownKeys.has(key)).sort();
  if (unknown.length > 0) return refuse(`it has keys Capstan does not implement: ${unknown.join(', ')}`);
  const type = data.get('type') ?? 'git';
  if (!(repoTypes as readonly string[]).includes(type)) return refuse(`type must be git, helm or oci`);
  const flags: Record<string, boolean> = {};
  for (const key of ['insecure', 'insecureIgnoreHostKey', 'enableOCI', 'forceHttpBasicAuth']) {
    const value = data.get(key);
    if (value !== undefined && value !== 'true' && value !== 'false') return refuse(`${key} must be "true" or "false"`);
    flags[key] = value === 'true';
  }
  const sshPrivateKey = data.get('sshPrivateKey');
  if (sshPrivateKey !== undefined && !isPrivateKey(sshPrivateKey)) return refuse('sshPrivateKey is not a private key (PEM or OpenSSH format)');
  const cert = data.get('tlsClientCertData');
  const key = data.get('tlsClientCertKey');
  if ((cert === undefined) !== (key === undefined)) return refuse('tlsClientCertData and tlsClientCertKey go together');
  if (cert !== undefined && key !== undefined) {
    const bad = tlsPairError(cert, key);
    if (bad !== undefined) return refuse(bad);
  }
  const proxy = data.get('proxy');
  if (proxy !== undefined && !/^(https?|socks5h?):\/\/[^\s]+$/i.test(proxy)) return refuse('proxy must be an http(s):// or socks5:// URL');
  const optional = (k: string) => {
    const v = data.get(k);
    return v === undefined ? {} : { [k]: v };
  };
  const credential: RepoCredential = {
    identity, kind, secret: { namespace, name }, url, type: type as RepoType,
    ...optional('username'), ...optional('password'), ...optional('bearerToken'), ...optional('proxy'), ...optional('noProxy'),
    ...(sshPrivateKey === undefined ? {} : { sshPrivateKey: sshPrivateKey.endsWith('\n') ? sshPrivateKey : `${sshPrivateKey}\n` }),
    ...(cert === undefined || key === undefined ? {} : { tlsClientCert: { cert, key } }),
    insecure: flags['insecure'] === true,
    insecureIgnoreHostKey: flags['insecureIgnoreHostKey'] === true,
    enableOCI: flags['enableOCI'] === true,
  };
  return { ok: true, credential };
}

/** The Secret's data, base64-decoded, empty values left out (as Argo CD treats them). */
function isPrivateKey(text: string): boolean {
  const openssh = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(text);
  if (openssh !== null) return Buffer.from((openssh[1] ?? '').replace(/\s+/g, ''), 'base64').subarray(0, 15).toString('latin1') === 'openssh-key-v1\0';
  try {
    createPrivateKey(text);
    return true;
  } catch {
    return false;
  }
}

function tlsPairError(cert: string, key: string): string | undefined {
  try {
    new X509Certificate(cert);
  } catch {
    return 'tlsClientCertData is not a PEM certificate';
  }
  try {
    createPrivateKey(key);
  } catch {
    return 'tlsClientCertKey is not a PEM private key';
  }
  return undefined;
}
