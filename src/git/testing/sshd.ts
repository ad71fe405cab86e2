/**
 * sshd on a loopback port for tests: its own config, host key and authorized keys, key
 * authentication only, serving git's upload-pack to the user running the tests. Debian's
 * openssh-server is installed when /usr/sbin/sshd is missing (the tests run as root).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freeLoopbackPort } from './git-daemon.js';

const sshdPath = '/usr/sbin/sshd';

export interface TestSshd {
  readonly port: number;
  /** known_hosts line of its host key, for `[127.0.0.1]:<port>`. */
  readonly knownHostsLine: string;
  /** A private key sshd accepts (OpenSSH format). */
  readonly clientKey: string;
  /** A private key sshd does not accept. */
  readonly otherKey: string;
  url(path: string): string;
  stop(): Promise<void>;
}

export function ensureSshd(): void {
  if (existsSync(sshdPath)) return;
  execFileSync('apt-get', ['install', '-y', 'openssh-server'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

function keyPair(dir: string, name: string): { privateKey: string; publicKey: string } {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', file], { stdio: 'ignore' });
  return { privateKey: readFileSync(file, 'utf8'), publicKey: readFileSync(`${file}.pub`, 'utf8').trim() };
}

export async function startSshd(dir: string): Promise<TestSshd> {
  ensureSshd();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const host = keyPair(dir, 'host_key');
  const client = keyPair(dir, 'client_key');
  const other = keyPair(dir, 'other_key');
  writeFileSync(join(dir, 'authorized_keys'), `${client.publicKey}\n`, { mode: 0o600 });
  const port = await freeLoopbackPort();
  writeFileSync(join(dir, 'sshd_config'), [
    `HostKey ${join(dir, 'host_key')}`, `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`, 'PasswordAuthentication no',
    'KbdInteractiveAuthentication no', 'UsePAM no', 'PermitRootLogin prohibit-password', 'StrictModes no', `PidFile ${join(dir, 'sshd.pid')}`, '',
  ].join('\n'));
  const child: ChildProcess = spawn(sshdPath, ['-D', '-e', '-f', join(dir, 'sshd_config'), '-p', String(port), '-o', 'ListenAddress=127.0.0.1'], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let text = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (/Server listening/.test(text)) resolve();
    });
    child.on('exit', (code) => { reject(new Error(`sshd exited with ${code ?? 'a signal'}: ${text}`)); });
  });
  const user = execFileSync('id', ['-un'], { encoding: 'utf8' }).trim();
  return {
    port,
    knownHostsLine: `[127.0.0.1]:${port} ${host.publicKey.split(' ').slice(0, 2).join(' ')}\n`,
    clientKey: client.privateKey,
    otherKey: other.privateKey,
    url: (path) => `ssh://${user}@127.0.0.1:${port}${path}`,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) { resolve(); return; }
      child.once('exit', () => { resolve(); });
      child.kill('SIGTERM');
    }),
  };
}
