/**
 * Repository credentials as Capstan reads them from repository Secrets (DESIGN.md §1.1): Argo
 * CD's keys and labels, so its Secrets carry over. Pure types; values are secret and must never
 * reach a log, a status, an Event or a command line.
 */

export const secretTypeLabels = ['capstan.dev/secret-type', 'argocd.argoproj.io/secret-type'] as const;
export type CredentialKind = 'repository' | 'repo-creds';
export type RepoType = 'git' | 'helm' | 'oci';

export interface TlsClientCert {
  readonly cert: string;
  readonly key: string;
}

export interface RepoCredential {
  /** `<kind> <namespace>/<name>`: which Secret it is (the clone key names it, never its content). */
  readonly identity: string;
  readonly kind: CredentialKind;
  readonly secret: { readonly namespace: string; readonly name: string };
  /** The URL (repository) or URL prefix (repo-creds) as the Secret gives it. */
  readonly url: string;
  readonly type: RepoType;
  readonly username?: string;
  /** A password or a token. */
  readonly password?: string;
  readonly bearerToken?: string;
  readonly sshPrivateKey?: string;
  readonly tlsClientCert?: TlsClientCert;
  /** Skip TLS verification. */
  readonly insecure: boolean;
  /** Skip SSH host-key checks. */
  readonly insecureIgnoreHostKey: boolean;
  readonly proxy?: string;
  readonly noProxy?: string;
  /** A Helm repository that is an OCI registry. */
  readonly enableOCI: boolean;
}

/** Whether a credential carries anything to authenticate with. */
export function hasAuth(c: RepoCredential): boolean {
  return c.username !== undefined || c.password !== undefined || c.bearerToken !== undefined || c.sshPrivateKey !== undefined || c.tlsClientCert !== undefined;
}

/** What kind of authentication a credential gives, for listings. */
export function authKinds(c: RepoCredential): string[] {
  const kinds: string[] = [];
  if (c.password !== undefined || c.username !== undefined) kinds.push('password');
  if (c.bearerToken !== undefined) kinds.push('bearer');
  if (c.sshPrivateKey !== undefined) kinds.push('ssh');
  if (c.tlsClientCert !== undefined) kinds.push('tls');
  return kinds;
}
