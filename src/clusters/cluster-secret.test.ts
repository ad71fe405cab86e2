import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../api/object.js';
import { parseClusterSecret } from './cluster-secret.js';
import { clusterKubeConfig } from './kubeconfig.js';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const pem = (label: string): string => `-----BEGIN ${label}-----\nAAAA\n-----END ${label}-----\n`;

function secret(data: Record<string, string>, labels: Record<string, string> = { 'capstan.dev/secret-type': 'cluster' }): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Secret', metadata: { name: 'stage-cluster', namespace: 'capstan', resourceVersion: '7', labels },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
  };
}

describe('parseClusterSecret', () => {
  it('reads Argo CD\'s keys: name, server (without a trailing slash), a bearer token and a CA', () => {
    const parsed = parseClusterSecret(secret({
      name: 'stage', server: 'https://10.0.0.1:6443/',
      config: JSON.stringify({ bearerToken: 'tok-123', tlsClientConfig: { caData: b64(pem('CERTIFICATE')), serverName: 'kubernetes', insecure: false } }),
    }));
    expect(parsed).toEqual({
      ok: true,
      cluster: {
        identity: 'cluster capstan/stage-cluster', name: 'stage', server: 'https://10.0.0.1:6443',
        secret: { namespace: 'capstan', name: 'stage-cluster', resourceVersion: '7' },
        bearerToken: 'tok-123', tls: { insecure: false, serverName: 'kubernetes', caData: pem('CERTIFICATE') },
      },
    });
  });

  it('names a cluster by its server when the Secret has no name; a client certificate or an exec plugin are credentials too', () => {
    const cert = parseClusterSecret(secret({
      server: 'https://prod:6443', config: JSON.stringify({ tlsClientConfig: { certData: b64(pem('CERTIFICATE')), keyData: b64(pem('PRIVATE KEY')) } }),
    }));
    expect(cert).toMatchObject({ ok: true, cluster: { name: 'https://prod:6443', tls: { certData: pem('CERTIFICATE'), keyData: pem('PRIVATE KEY') } } });
    const exec = parseClusterSecret(secret({
      name: 'eks', server: 'https://eks.example',
      config: JSON.stringify({ execProviderConfig: { command: 'aws', args: ['eks', 'get-token'], env: { AWS_PROFILE: 'x' }, apiVersion: 'client.authentication.k8s.io/v1beta1' } }),
    }, { 'argocd.argoproj.io/secret-type': 'cluster' }));
    expect(exec).toMatchObject({ ok: true, cluster: { exec: { command: 'aws', args: ['eks', 'get-token'], env: { AWS_PROFILE: 'x' } } } });
  });

  it('reads namespaces (comma-separated, sorted, once each) and clusterResources', () => {
    const parsed = parseClusterSecret(secret({ name: 'x', server: 'https://x', namespaces: ' team-b, team-a,team-b ', clusterResources: 'true', config: '{"bearerToken":"t"}' }));
    expect(parsed).toMatchObject({ ok: true, cluster: { scope: { namespaces: ['team-a', 'team-b'], clusterResources: true } } });
    const plain = parseClusterSecret(secret({ name: 'x', server: 'https://x', config: '{"bearerToken":"t"}' }));
    expect(plain.ok && plain.cluster.scope).toBeUndefined();
  });

  it.each<[string, Record<string, string>, string]>([
    ['no server', { name: 'x', config: '{}' }, 'it has no server'],
    ['a server that is no URL', { name: 'x', server: 'prod:6443' }, 'server must be an http(s):// URL'],
    ['a project-scoped cluster', { name: 'x', server: 'https://x', project: 'team-a', config: '{"bearerToken":"t"}' }, 'keys Capstan does not carry out: project'],
    ['a namespace that is no name', { name: 'x', server: 'https://x', namespaces: 'a,B_c', config: '{"bearerToken":"t"}' }, 'namespaces lists "B_c", which is no namespace name'],
    ['clusterResources without namespaces', { name: 'x', server: 'https://x', clusterResources: 'true', config: '{"bearerToken":"t"}' }, 'clusterResources is used with namespaces only'],
    ['clusterResources that is no boolean', { name: 'x', server: 'https://x', namespaces: 'a', clusterResources: 'yes', config: '{"bearerToken":"t"}' }, 'clusterResources must be "true" or "false"'],
    ['an unknown key', { name: 'x', server: 'https://x', colour: 'red', config: '{"bearerToken":"t"}' }, 'keys Capstan does not know: colour'],
    ['config that is no JSON', { name: 'x', server: 'https://x', config: '{bearerToken' }, 'config is not JSON'],
    ['basic auth', { name: 'x', server: 'https://x', config: '{"username":"u","password":"p"}' }, 'config sets keys Capstan does not carry out: password, username'],
    ['no credentials', { name: 'x', server: 'https://x', config: '{"tlsClientConfig":{"insecure":true}}' }, 'config has no credentials'],
    ['a lone client certificate', { name: 'x', server: 'https://x', config: JSON.stringify({ tlsClientConfig: { certData: b64(pem('CERTIFICATE')) } }) }, 'certData and keyData go together'],
    ['a CA that is no PEM', { name: 'x', server: 'https://x', config: JSON.stringify({ bearerToken: 't', tlsClientConfig: { caData: b64('hello') } }) }, 'caData is not base64 of a PEM block'],
    ['the in-cluster destination', { name: 'in-cluster', server: 'https://kubernetes.default.svc', config: '{"bearerToken":"t"}' }, 'needs no Secret'],
    ['an exec plugin without apiVersion', { name: 'x', server: 'https://x', config: '{"execProviderConfig":{"command":"aws"}}' }, 'apiVersion must be a client.authentication.k8s.io version'],
  ])('refuses %s, saying why and quoting no secret data', (_what, data, reason) => {
    const parsed = parseClusterSecret(secret(data));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.reason).toContain(reason);
    expect(parsed.reason).not.toMatch(/\bt"|\bp"|hello/);
    expect(parsed.identity).toBe('cluster capstan/stage-cluster');
  });
});

describe('clusterKubeConfig', () => {
  it('gives the client the server, CA, server name and token of the Secret', async () => {
    const parsed = parseClusterSecret(secret({
      name: 'stage', server: 'https://10.0.0.1:6443', config: JSON.stringify({ bearerToken: 'tok-123', tlsClientConfig: { caData: b64(pem('CERTIFICATE')), serverName: 'kubernetes' } }),
    }));
    if (!parsed.ok) throw new Error(parsed.reason);
    const kc = clusterKubeConfig(parsed.cluster);
    expect(kc.getCurrentCluster()).toMatchObject({ server: 'https://10.0.0.1:6443', tlsServerName: 'kubernetes', skipTLSVerify: false, caData: b64(pem('CERTIFICATE')) });
    const opts: { headers?: Record<string, unknown>; servername?: string } = {};
    await kc.applyToHTTPSOptions(opts);
    expect(opts.headers?.['Authorization']).toBe('Bearer tok-123');
  });
});
