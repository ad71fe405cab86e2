/**
 * How one git command gets a repository's credentials and trust settings (pure): variables of
 * git's own environment (GIT_CONFIG_COUNT/KEY/VALUE, GIT_SSH_COMMAND, NO_PROXY) and files in a
 * directory private to the command (key, known hosts, client certificate, CA). Nothing of it is
 * ever on a command line: GIT_SSH_COMMAND names files by path only.
 */
import type { RepoCredential } from './types.js';

export const knownHostsConfigMap = 'capstan-known-hosts';
export const tlsCertsConfigMap = 'capstan-tls-certs';

export interface RepoTrust {
  /** known_hosts lines from capstan-known-hosts (empty: no host is known). */
  readonly knownHosts: string;
  /** PEM CA bundles by host name (or host:port), from capstan-tls-certs. */
  readonly tlsCerts: ReadonlyMap<string, string>;
}

export interface GitCommandSetup {
  readonly env: Readonly<Record<string, string>>;
  /** File name (inside the private directory) → content; written 0600. */
  readonly files: ReadonlyMap<string, string>;
}

export type Transport = 'https' | 'http' | 'ssh' | 'git' | 'local';

/** The environment and files of one git command against `host` (host[:port]) over `transport`; `dir` is the private directory. */
export function gitCommandSetup(transport: Transport, host: string, credential: RepoCredential | undefined, trust: RepoTrust | undefined, dir: string): GitCommandSetup {
  const files = new Map<string, string>();
  const config: Array<[string, string]> = [];
  const env: Record<string, string> = {};
  if (transport === 'ssh' && (credential !== undefined || trust !== undefined)) {
    const options = ['-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'IdentityAgent=none'];
    if (credential?.insecureIgnoreHostKey === true) {
      options.push('-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'GlobalKnownHostsFile=/dev/null');
    } else {
      files.set('known_hosts', trust?.knownHosts ?? '');
      options.push('-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${quoted(`${dir}/known_hosts`)}`, '-o', 'GlobalKnownHostsFile=/dev/null');
    }
    if (credential?.sshPrivateKey !== undefined) {
      files.set('ssh_key', credential.sshPrivateKey);
      options.push('-o', 'IdentitiesOnly=yes', '-i', quoted(`${dir}/ssh_key`));
    }
    env['GIT_SSH_COMMAND'] = ['ssh', ...options].join(' ');
  }
  if (transport === 'https' || transport === 'http') {
    if (credential?.bearerToken !== undefined) config.push(['http.extraHeader', `Authorization: Bearer ${credential.bearerToken}`]);
    else if (credential?.username !== undefined || credential?.password !== undefined) {
      const basic = Buffer.from(`${credential.username ?? ''}:${credential.password ?? ''}`, 'utf8').toString('base64');
      config.push(['http.extraHeader', `Authorization: Basic ${basic}`]);
    }
    // A header sent once is sent after a redirect too, to wherever it leads: none are followed.
    if (config.length > 0) config.push(['http.followRedirects', 'false']);
    if (credential?.tlsClientCert !== undefined) {
      files.set('client.crt', credential.tlsClientCert.cert);
      files.set('client.key', credential.tlsClientCert.key);
      config.push(['http.sslCert', `${dir}/client.crt`], ['http.sslKey', `${dir}/client.key`]);
      // git lets GIT_SSL_CERT/GIT_SSL_KEY (and GIT_SSL_CAINFO) of its environment win over its config:
      // inherited ones (a machine-wide CA bundle, say) would hide the Secret's settings. Both are set.
      env['GIT_SSL_CERT'] = `${dir}/client.crt`;
      env['GIT_SSL_KEY'] = `${dir}/client.key`;
    }
    if (credential?.insecure === true) config.push(['http.sslVerify', 'false']);
    else {
      const ca = caFor(trust, host);
      if (ca !== undefined) {
        files.set('ca.crt', ca);
        config.push(['http.sslCAInfo', `${dir}/ca.crt`]);
        env['GIT_SSL_CAINFO'] = `${dir}/ca.crt`;
      }
    }
    if (credential?.proxy !== undefined) config.push(['http.proxy', credential.proxy]);
    if (credential?.noProxy !== undefined) {
      env['NO_PROXY'] = credential.noProxy;
      env['no_proxy'] = credential.noProxy;
    }
  }
  if (config.length > 0) {
    env['GIT_CONFIG_COUNT'] = String(config.length);
    config.forEach(([key, value], i) => {
      env[`GIT_CONFIG_KEY_${i}`] = key;
      env[`GIT_CONFIG_VALUE_${i}`] = value;
    });
  }
  return { env, files };
}

/** The CA bundle for `host` (host[:port]): a `host:port` key first, then the host name alone. */
export function caFor(trust: RepoTrust | undefined, host: string): string | undefined {
  if (trust === undefined) return undefined;
  const name = host.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return trust.tlsCerts.get(host.toLowerCase()) ?? trust.tlsCerts.get(name);
}

/** A path for a shell command line (GIT_SSH_COMMAND is run by a shell). */
function quoted(path: string): string {
  return `'${path.replace(/'/g, `'\\''`)}'`;
}
