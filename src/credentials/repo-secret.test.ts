import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { credentialKindOf, parseRepoSecret } from './repo-secret.js';
import { repoSecret } from './testing/repo-secret.js';

const pemKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const opensshKey = `-----BEGIN OPENSSH PRIVATE KEY-----\n${Buffer.concat([Buffer.from('openssh-key-v1\0', 'latin1'), Buffer.alloc(32, 1)]).toString('base64')}\n-----END OPENSSH PRIVATE KEY-----`;

function certPair(): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'k'), '-out', join(dir, 'c'), '-days', '1', '-subj', '/CN=client'], { stdio: 'ignore' });
    return { cert: readFileSync(join(dir, 'c'), 'utf8'), key: readFileSync(join(dir, 'k'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('parseRepoSecret', () => {
  it("reads Argo CD's keys under either label", () => {
    const parsed = parseRepoSecret(repoSecret('private', { url: 'https://git.example.com/org/apps', username: 'u', password: 'p', insecure: 'true', proxy: 'http://proxy:3128', noProxy: 'internal' }, 'argocd.argoproj.io/secret-type'));
    expect(parsed).toMatchObject({ ok: true, credential: { identity: 'repository capstan/private', kind: 'repository', type: 'git', username: 'u', password: 'p', insecure: true, insecureIgnoreHostKey: false, proxy: 'http://proxy:3128', noProxy: 'internal' } });
    expect(credentialKindOf(repoSecret('x', {}, 'argocd.argoproj.io/secret-type', 'repo-creds'))).toBe('repo-creds');
    expect(credentialKindOf(repoSecret('x', {}, 'argocd.argoproj.io/secret-type', 'cluster'))).toBeUndefined();
  });

  it('takes ssh keys in PEM and OpenSSH format, and a client certificate', () => {
    expect(parseRepoSecret(repoSecret('a', { url: 'git@host:org/a', sshPrivateKey: pemKey, insecureIgnoreHostKey: 'true' }))).toMatchObject({ ok: true, credential: { insecureIgnoreHostKey: true } });
    expect(parseRepoSecret(repoSecret('b', { url: 'git@host:org/a', sshPrivateKey: opensshKey })).ok).toBe(true);
    const { cert, key } = certPair();
    expect(parseRepoSecret(repoSecret('c', { url: 'https://host/', tlsClientCertData: cert, tlsClientCertKey: key, type: 'helm', enableOCI: 'true' }))).toMatchObject({ ok: true, credential: { type: 'helm', enableOCI: true, tlsClientCert: { cert, key } } });
  });

  it.each([
    [{ username: 'u' }, 'it has no url'],
    [{ url: 'git@h:o/r', sshPrivateKey: 'not a key' }, 'sshPrivateKey is not a private key'],
    [{ url: 'https://h/', tlsClientCertData: 'x' }, 'tlsClientCertData and tlsClientCertKey go together'],
    [{ url: 'https://h/', tlsClientCertData: 'x', tlsClientCertKey: pemKey }, 'tlsClientCertData is not a PEM certificate'],
    [{ url: 'https://h/', insecure: 'yes' }, 'insecure must be "true" or "false"'],
    [{ url: 'https://h/', type: 'svn' }, 'type must be git, helm or oci'],
    [{ url: 'https://h/', githubAppPrivateKey: pemKey, project: 'team' }, 'keys Capstan does not implement: githubAppPrivateKey, project'],
  ])('refuses %j, saying why without quoting its data', (data, reason) => {
    const parsed = parseRepoSecret(repoSecret('bad', data));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.reason).toContain(reason);
    expect(JSON.stringify(parsed)).not.toContain(pemKey.slice(40, 80));
    expect(JSON.stringify(parsed)).not.toContain('not a key"');
  });
});
