import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { repoSecret } from '../../credentials/testing/repo-secret.js';
import { emptyCell, renderTable } from '../output/table.js';
import { repoColumns, repoRows } from './view.js';

const key = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describe('repoRows', () => {
  it('says what each Secret is for and how it authenticates, and holds no secret value', () => {
    const rows = repoRows([
      repoSecret('https-creds', { url: 'https://git.example.com/org', username: 'deploy', password: 'pa55-word-value' }, 'argocd.argoproj.io/secret-type', 'repo-creds'),
      repoSecret('ssh-repo', { url: 'git@git.example.com:org/apps.git', sshPrivateKey: key }),
      repoSecret('broken', { url: 'https://x:inline-token@h/r', sshPrivateKey: 'garbage-key-text' }),
      repoSecret('helm', { url: 'https://charts.example.com', bearerToken: 'bearer-token-value', type: 'helm' }),
    ]);
    expect(rows).toEqual([
      { url: 'git@git.example.com:org/apps.git', type: 'git', kind: 'repository', username: 'no', auth: 'ssh', secret: 'ssh-repo' },
      { url: 'https://charts.example.com', type: 'helm', kind: 'repository', username: 'no', auth: 'bearer', secret: 'helm' },
      { url: 'https://git.example.com/org', type: 'git', kind: 'repo-creds', username: 'yes', auth: 'password', secret: 'https-creds' },
      { url: 'https://h/r', type: emptyCell, kind: 'repository', username: 'no', auth: emptyCell, secret: 'broken', problem: 'sshPrivateKey is not a private key (PEM or OpenSSH format)' },
    ]);
    const printed = JSON.stringify(rows) + renderTable(repoColumns, rows.map((r) => repoColumns.map((c) => r[c] ?? '')));
    for (const secret of ['pa55-word-value', 'inline-token', 'garbage-key-text', 'bearer-token-value', key.slice(30, 60), 'deploy']) expect(printed).not.toContain(secret);
  });
});
