import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { gitCommandSetup, type RepoTrust } from './git-setup.js';
import { withPrivateFiles } from './private-files.js';
import type { RepoCredential } from './types.js';

const base: RepoCredential = { identity: 'repository ns/x', kind: 'repository', secret: { namespace: 'ns', name: 'x' }, url: 'u', type: 'git', insecure: false, insecureIgnoreHostKey: false, enableOCI: false };
const trust: RepoTrust = { knownHosts: '[127.0.0.1]:2222 ssh-ed25519 AAAA\n', tlsCerts: new Map([['git.example.com', 'CA PEM'], ['127.0.0.1:8443', 'PORT CA']]) };

describe('gitCommandSetup', () => {
  it('sends Basic credentials as a header in git config variables, with the CA of the host, and no redirects', () => {
    const setup = gitCommandSetup('https', 'git.example.com', { ...base, username: 'u', password: 's3cret' }, trust, '/d');
    expect(setup.env).toEqual({
      GIT_CONFIG_COUNT: '3',
      GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from('u:s3cret').toString('base64')}`,
      GIT_CONFIG_KEY_1: 'http.followRedirects', GIT_CONFIG_VALUE_1: 'false',
      GIT_CONFIG_KEY_2: 'http.sslCAInfo', GIT_CONFIG_VALUE_2: '/d/ca.crt',
      // git's environment wins over its config: an inherited GIT_SSL_CAINFO must not hide the host's CA.
      GIT_SSL_CAINFO: '/d/ca.crt',
    });
    expect([...setup.files]).toEqual([['ca.crt', 'CA PEM']]);
  });

  it('a host:port CA wins; client certificates, insecure, proxy and a bearer token', () => {
    expect(gitCommandSetup('https', '127.0.0.1:8443', undefined, trust, '/d').files.get('ca.crt')).toBe('PORT CA');
    const setup = gitCommandSetup('https', 'h', { ...base, bearerToken: 't', tlsClientCert: { cert: 'C', key: 'K' }, insecure: true, proxy: 'http://p:1', noProxy: 'x' }, trust, '/d');
    const config: Record<string, string | undefined> = {};
    for (let i = 0; i < Number(setup.env['GIT_CONFIG_COUNT']); i += 1) config[setup.env[`GIT_CONFIG_KEY_${i}`] ?? ''] = setup.env[`GIT_CONFIG_VALUE_${i}`];
    expect(config).toEqual({ 'http.extraHeader': 'Authorization: Bearer t', 'http.followRedirects': 'false', 'http.sslCert': '/d/client.crt', 'http.sslKey': '/d/client.key', 'http.sslVerify': 'false', 'http.proxy': 'http://p:1' });
    expect(setup.env['NO_PROXY']).toBe('x');
    expect([setup.env['GIT_SSL_CERT'], setup.env['GIT_SSL_KEY'], setup.env['GIT_SSL_CAINFO']]).toEqual(['/d/client.crt', '/d/client.key', undefined]);
    expect([...setup.files.keys()]).toEqual(['client.crt', 'client.key']);
  });

  it('ssh: the key and known hosts as files, strict host checking, nothing secret in GIT_SSH_COMMAND', () => {
    const setup = gitCommandSetup('ssh', '127.0.0.1:2222', { ...base, sshPrivateKey: 'PRIVATE KEY' }, trust, "/d/it's");
    const command = setup.env['GIT_SSH_COMMAND'] ?? '';
    expect(command).toContain('StrictHostKeyChecking=yes');
    expect(command).toContain(`UserKnownHostsFile='/d/it'\\''s/known_hosts'`);
    expect(command).toContain(`-o IdentitiesOnly=yes -i '/d/it'\\''s/ssh_key'`);
    expect(command).not.toContain('PRIVATE KEY');
    expect(setup.files.get('ssh_key')).toBe('PRIVATE KEY');
    expect(setup.files.get('known_hosts')).toBe(trust.knownHosts);
    const insecure = gitCommandSetup('ssh', 'h', { ...base, insecureIgnoreHostKey: true }, trust, '/d');
    expect(insecure.env['GIT_SSH_COMMAND']).toContain('StrictHostKeyChecking=no');
    expect(insecure.files.size).toBe(0);
  });

  it('nothing for an anonymous URL without trust settings', () => {
    expect(gitCommandSetup('https', 'h', undefined, undefined, '/d')).toEqual({ env: {}, files: new Map() });
  });
});

describe('withPrivateFiles', () => {
  it('writes 0600 files in a 0700 directory and removes them, also when the work fails', async () => {
    const root = mkdtempSync(join(tmpdir(), 'capstan-private-'));
    try {
      let seen = '';
      await withPrivateFiles(root, new Map([['k', 'v']]), (dir) => {
        seen = dir;
        expect(statSync(dir).mode & 0o777).toBe(0o700);
        expect(statSync(join(dir, 'k')).mode & 0o777).toBe(0o600);
        return Promise.resolve();
      });
      expect(existsSync(seen)).toBe(false);
      await expect(withPrivateFiles(root, new Map([['k', 'v']]), () => Promise.reject(new Error('killed')))).rejects.toThrow('killed');
      expect(readdirSync(root)).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
