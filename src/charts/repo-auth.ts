/**
 * What a chart repository's requests carry (pure): the repository Secret of type helm (or oci)
 * that serves its URL, by the same rules as Git's (credentials/match.ts) — Basic credentials or a
 * bearer token as the Authorization header, a client certificate, `insecure` — and the CA bundle
 * of its host from capstan-tls-certs. A Secret of type git never serves a chart repository.
 */
import { caFor, type RepoTrust } from '../credentials/git-setup.js';
import type { CredentialLookup } from '../credentials/match.js';
import type { RepoCredential } from '../credentials/types.js';
import type { ChartRepo } from './ref.js';
import type { TlsSettings } from './tls-fetch.js';
import { chartFailure, type ChartFailure } from './types.js';

export type ChartCredentialSource = (url: string) => CredentialLookup;

export interface ChartAccess {
  /** Which Secret serves the repository (empty: none); part of every cache key, so answers read with one Secret serve no other. */
  readonly identity: string;
  /** The origin (`https://host[:port]`) the credentials are sent to; requests elsewhere go without them. */
  readonly origin: string;
  /** Basic (or Bearer) credentials of the Secret, for the origin only. */
  readonly authorization?: string;
  readonly tls?: TlsSettings;
}

export const anonymousAccess = (origin: string): ChartAccess => ({ identity: '', origin });

/** How requests to `repo` (named `repoURL` in the app) are made, or why they cannot be. */
export function chartAccess(repo: ChartRepo, repoURL: string, credentials: ChartCredentialSource | undefined, trust: RepoTrust | undefined): ChartAccess | ChartFailure {
  const origin = repo.kind === 'http' ? repo.base.origin : repo.origin;
  const credential = credentials === undefined ? undefined : chartCredential(repo, repoURL, credentials);
  if (credential !== undefined && 'ok' in credential) return credential;
  const host = new URL(origin).host;
  const ca = credential?.insecure === true ? undefined : caFor(trust, host);
  const tls: TlsSettings = {
    ...(ca === undefined ? {} : { ca }),
    ...(credential?.tlsClientCert === undefined ? {} : { cert: credential.tlsClientCert.cert, key: credential.tlsClientCert.key }),
    ...(credential?.insecure === true ? { insecure: true } : {}),
  };
  const authorization = credential === undefined ? undefined : authorizationOf(credential);
  return {
    identity: credential?.identity ?? '',
    origin,
    ...(authorization === undefined ? {} : { authorization }),
    ...(Object.keys(tls).length === 0 ? {} : { tls }),
  };
}

/** The cache key of `key` read with `access`. */
export function accessKey(key: string, access: ChartAccess): string {
  return access.identity === '' ? key : `${key}\n${access.identity}`;
}

/**
 * The helm (or oci) Secret serving the repository. An OCI repoURL is looked up as written and
 * without its `oci://` (Argo CD's helm Secrets for registries name `host/path`, with enableOCI).
 */
function chartCredential(repo: ChartRepo, repoURL: string, credentials: ChartCredentialSource): RepoCredential | ChartFailure | undefined {
  const urls = repo.kind === 'oci' ? [...new Set([repoURL.trim(), repoURL.trim().replace(/^oci:\/\//i, '')])] : [repoURL.trim()];
  for (const url of urls) {
    const found = credentials(url);
    if (found.kind === 'invalid') return chartFailure('ChartRepoError', `chart repository ${repo.display}: ${found.message}`);
    if (found.kind === 'found' && found.credential.type !== 'git') return found.credential;
  }
  return undefined;
}

function authorizationOf(c: RepoCredential): string | undefined {
  if (c.bearerToken !== undefined) return `Bearer ${c.bearerToken}`;
  if (c.username === undefined && c.password === undefined) return undefined;
  return `Basic ${Buffer.from(`${c.username ?? ''}:${c.password ?? ''}`, 'utf8').toString('base64')}`;
}

/** The headers of a request to `url` with `access`: its Authorization only on the repository's own origin. */
export function authHeaders(access: ChartAccess, url: string): Record<string, string> {
  return access.authorization !== undefined && new URL(url).origin === access.origin ? { authorization: access.authorization } : {};
}

/** For a 401 or 403: which credentials were refused (the Secret's name, never its content). */
export function refusedWith(status: number, access: ChartAccess): string {
  if (status !== 401 && status !== 403) return '';
  return access.identity === '' ? ' (no helm repository Secret serves this URL)' : ` (the credentials of the ${access.identity.replace(' ', ' Secret ')} were refused)`;
}
