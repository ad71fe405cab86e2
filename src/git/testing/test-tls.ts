/**
 * A certificate authority of its own for tests, and a serving certificate it signs for
 * 127.0.0.1 (and localhost): what a TLS server on loopback needs so that a client trusts it
 * only when given that CA. Made with openssl in a directory the caller owns.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestTls {
  /** The CA certificate (PEM): the trust a client needs. */
  readonly caCert: string;
  /** The server's certificate (PEM), signed by the CA, for IP 127.0.0.1 and DNS localhost. */
  readonly cert: string;
  /** The server's private key (PEM). */
  readonly key: string;
}

function openssl(args: readonly string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function makeTestTls(dir: string, commonName = 'capstan-test-ca'): TestTls {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-subj', `/CN=${commonName}`, '-days', '2', '-sha256', '-out', 'ca.crt'], dir);
  writeFileSync(join(dir, 'server.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-subj', '/CN=127.0.0.1', '-out', 'server.csr'], dir);
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-sha256', '-extfile', 'server.ext', '-out', 'server.crt'], dir);
  return { caCert: readFileSync(join(dir, 'ca.crt'), 'utf8'), cert: readFileSync(join(dir, 'server.crt'), 'utf8'), key: readFileSync(join(dir, 'server.key'), 'utf8') };
}
