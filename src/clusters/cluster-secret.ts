/**
 * Parses one cluster Secret (pure): Argo CD's keys `name`, `server`, `config` (JSON with
 * bearerToken, tlsClientConfig, execProviderConfig). A Secret that cannot be used is a value
 * saying why, with its name and server when it has them, and never quoting its data.
 */
import { isRecord, type KubeObject } from '../api/object.js';
import { decodedSecretData } from '../api/secret-data.js';
import { inClusterName, inClusterServer } from '../api/validate.js';
import { normalizeServer, type ClusterExecProvider, type ClusterScope, type ClusterTls, type ParsedClusterSecret } from './types.js';

const knownKeys = new Set(['name', 'server', 'config', 'namespaces', 'clusterResources']);
/** Keys Argo CD knows and Capstan does not carry out: refused, so nothing is silently ignored. */
const unimplementedKeys = new Set(['project', 'shard']);
const namespaceName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const configKeys = new Set(['bearerToken', 'tlsClientConfig', 'execProviderConfig']);
const unimplementedConfigKeys = new Set(['username', 'password', 'awsAuthConfig', 'proxyUrl', 'disableCompression']);
const tlsKeys = new Set(['caData', 'certData', 'keyData', 'insecure', 'serverName']);
const execKeys = new Set(['command', 'args', 'env', 'apiVersion', 'installHint']);

type Refusal = { readonly reason: string };
const refusal = (reason: string): Refusal => ({ reason });
const isRefusal = (value: unknown): value is Refusal => isRecord(value) && typeof value['reason'] === 'string' && Object.keys(value).length === 1;

export function parseClusterSecret(secret: KubeObject): ParsedClusterSecret {
  const namespace = secret.metadata.namespace ?? '';
  const secretName = secret.metadata.name ?? '';
  const identity = `cluster ${namespace}/${secretName}`;
  const data = decodedSecretData(secret);
  const server = data.get('server');
  const name = data.get('name') ?? (server === undefined ? undefined : normalizeServer(server));
  const refuse = (reason: string): ParsedClusterSecret => ({
    ok: false, identity, reason, ...(name === undefined ? {} : { name }), ...(server === undefined ? {} : { server: normalizeServer(server) }),
  });
  if (server === undefined) return refuse('it has no server');
  if (!/^https?:\/\/[^\s/]+/.test(server)) return refuse('server must be an http(s):// URL');
  const unimplemented = [...data.keys()].filter((key) => unimplementedKeys.has(key)).sort();
  if (unimplemented.length > 0) return refuse(`it sets keys Capstan does not carry out: ${unimplemented.join(', ')}`);
  const unknown = [...data.keys()].filter((key) => !knownKeys.has(key)).sort();
  if (unknown.length > 0) return refuse(`it has keys Capstan does not know: ${unknown.join(', ')}`);
  if (name === inClusterName || normalizeServer(server) === inClusterServer) {
    return refuse(`it names the controller's own cluster (${inClusterName}, ${inClusterServer}), which needs no Secret`);
  }
  const scope = parseScope(data.get('namespaces'), data.get('clusterResources'));
  if (isRefusal(scope)) return refuse(scope.reason);
  const config = parseConfig(data.get('config') ?? '{}');
  if (isRefusal(config)) return refuse(config.reason);
  if (config.bearerToken === undefined && config.exec === undefined && config.tls.certData === undefined) {
    return refuse('config has no credentials: set bearerToken, tlsClientConfig.certData/keyData or execProviderConfig');
  }
  return {
    ok: true,
    cluster: {
      identity, name: name ?? normalizeServer(server), server: normalizeServer(server),
      secret: { namespace, name: secretName, resourceVersion: secret.metadata.resourceVersion ?? '' },
      tls: config.tls,
      ...(scope === undefined ? {} : { scope }),
      ...(config.bearerToken === undefined ? {} : { bearerToken: config.bearerToken }),
      ...(config.exec === undefined ? {} : { exec: config.exec }),
    },
  };
}

/** `namespaces` (comma-separated) and `clusterResources`, as Argo CD reads them. */
function parseScope(namespaces: string | undefined, clusterResources: string | undefined): ClusterScope | undefined | Refusal {
  if (clusterResources !== undefined && clusterResources !== 'true' && clusterResources !== 'false') return refusal('clusterResources must be "true" or "false"');
  if (namespaces === undefined) {
    return clusterResources === undefined ? undefined : refusal('clusterResources is used with namespaces only; set namespaces or remove it');
  }
  const list = namespaces.split(',').map((n) => n.trim()).filter((n) => n !== '');
  const bad = list.find((n) => n.length > 63 || !namespaceName.test(n));
  if (bad !== undefined) return refusal(`namespaces lists ${JSON.stringify(bad.slice(0, 70))}, which is no namespace name`);
  if (list.length === 0) return refusal('namespaces lists no namespace');
  return { namespaces: [...new Set(list)].sort(), clusterResources: clusterResources === 'true' };
}

interface ParsedConfig {
  readonly bearerToken?: string;
  readonly tls: ClusterTls;
  readonly exec?: ClusterExecProvider;
}

function parseConfig(text: string): ParsedConfig | Refusal {
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    return refusal('config is not JSON');
  }
  if (!isRecord(config)) return refusal('config is not a JSON object');
  const keys = Object.keys(config);
  const unimplemented = keys.filter((key) => unimplementedConfigKeys.has(key)).sort();
  if (unimplemented.length > 0) return refusal(`config sets keys Capstan does not carry out: ${unimplemented.join(', ')}`);
  const unknown = keys.filter((key) => !configKeys.has(key)).sort();
  if (unknown.length > 0) return refusal(`config has keys Capstan does not know: ${unknown.join(', ')}`);
  const token = config['bearerToken'];
  if (token !== undefined && (typeof token !== 'string' || token === '')) return refusal('config.bearerToken must be a non-empty string');
  const tls = parseTls(config['tlsClientConfig']);
  if (isRefusal(tls)) return tls;
  const exec = config['execProviderConfig'] === undefined ? undefined : parseExec(config['execProviderConfig']);
  if (isRefusal(exec)) return exec;
  return { tls, ...(typeof token === 'string' ? { bearerToken: token } : {}), ...(exec === undefined ? {} : { exec }) };
}

function parseTls(value: unknown): ClusterTls | Refusal {
  if (value === undefined) return { insecure: false };
  if (!isRecord(value)) return refusal('config.tlsClientConfig is not an object');
  const unknown = Object.keys(value).filter((key) => !tlsKeys.has(key)).sort();
  if (unknown.length > 0) return refusal(`config.tlsClientConfig has keys Capstan does not know: ${unknown.join(', ')}`);
  const insecure = value['insecure'] ?? false;
  if (typeof insecure !== 'boolean') return refusal('config.tlsClientConfig.insecure must be true or false');
  const serverName = value['serverName'];
  if (serverName !== undefined && typeof serverName !== 'string') return refusal('config.tlsClientConfig.serverName must be a string');
  const pems: Record<string, string> = {};
  for (const key of ['caData', 'certData', 'keyData']) {
    const raw = value[key];
    if (raw === undefined || raw === '') continue;
    if (typeof raw !== 'string') return refusal(`config.tlsClientConfig.${key} must be a base64 string`);
    const pem = Buffer.from(raw, 'base64').toString('utf8');
    if (!pem.includes('-----BEGIN ')) return refusal(`config.tlsClientConfig.${key} is not base64 of a PEM block`);
    pems[key] = pem;
  }
  if ((pems['certData'] === undefined) !== (pems['keyData'] === undefined)) return refusal('config.tlsClientConfig.certData and keyData go together');
  return {
    insecure,
    ...(typeof serverName === 'string' && serverName !== '' ? { serverName } : {}),
    ...(pems['caData'] === undefined ? {} : { caData: pems['caData'] }),
    ...(pems['certData'] === undefined ? {} : { certData: pems['certData'] }),
    ...(pems['keyData'] === undefined ? {} : { keyData: pems['keyData'] }),
  };
}

function parseExec(value: unknown): ClusterExecProvider | Refusal {
  if (!isRecord(value)) return refusal('config.execProviderConfig is not an object');
  const unknown = Object.keys(value).filter((key) => !execKeys.has(key)).sort();
  if (unknown.length > 0) return refusal(`config.execProviderConfig has keys Capstan does not know: ${unknown.join(', ')}`);
  const { command, args = [], env = {}, apiVersion } = value;
  if (typeof command !== 'string' || command === '') return refusal('config.execProviderConfig.command must be a non-empty string');
  if (!Array.isArray(args) || !args.every((a): a is string => typeof a === 'string')) return refusal('config.execProviderConfig.args must be a list of strings');
  if (!isRecord(env) || !Object.values(env).every((v) => typeof v === 'string')) return refusal('config.execProviderConfig.env must map names to strings');
  if (typeof apiVersion !== 'string' || !apiVersion.startsWith('client.authentication.k8s.io/')) {
    return refusal('config.execProviderConfig.apiVersion must be a client.authentication.k8s.io version');
  }
  return { command, args, env: env as Record<string, string>, apiVersion };
}
