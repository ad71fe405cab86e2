/**
 * One way of reaching one repository: its URL parsed under the URL policy, the key of the
 * repository (shared by every spelling of its URL) and the key of its clone (the repository
 * plus the transport and credentials it is read with, so a clone fetched with a token is never
 * read through a URL without one).
 */
import { createHash } from 'node:crypto';
import type { CredentialLookup } from '../credentials/match.js';
import type { RepoCredential } from '../credentials/types.js';
import { invalidRepoUrl } from './failures.js';
import { hasCredentials, remoteEnvironment } from './remote-env.js';
import { parseRepoUrl, type ParsedRepoUrl, type RepoUrlPolicy } from './repo-url.js';
import type { GitFailure } from './types.js';
import { normalizeRepoUrl, redactUrl } from './url.js';

export interface RepoAccess {
  /** The URL as the Application gives it; redact before showing it. */
  readonly url: string;
  readonly repo: ParsedRepoUrl;
  /** normalizeRepoUrl(url): the same for every spelling and every credential. */
  readonly repoKey: string;
  /** 16 hex digits naming the repository on disk (checked-out trees). */
  readonly repoId: string;
  /**
   * The repository as read with these credentials over this transport: `<repoKey>\n<transport>\n
   * <hash of the credentials>\n<host and path as given>`.
   */
  readonly cloneKey: string;
  /** What git needs in its environment to read it (credentials from the URL). */
  readonly env: Readonly<Record<string, string>>;
  /** The repository Secret's credentials, when the URL carries none of its own. */
  readonly credential?: RepoCredential;
}

/** Which repository Secret serves a URL (the controller's watch of them); absent: none is. */
export type CredentialSource = (url: string) => CredentialLookup;

export type AccessResult = { ok: true; access: RepoAccess } | { ok: false; error: GitFailure };

export function repoAccess(url: string, policy: RepoUrlPolicy, credentials?: CredentialSource): AccessResult {
  const parsed = parseRepoUrl(url, policy);
  if (!parsed.ok) return { ok: false, error: invalidRepoUrl(url, parsed.reason) };
  const repoKey = normalizeRepoUrl(url);
  const lookup = credentials === undefined || parsed.repo.transport === 'local' || hasCredentials(parsed.repo) ? undefined : credentials(url);
  if (lookup?.kind === 'invalid') return { ok: false, error: { code: 'AuthenticationFailed', message: `repository ${redactUrl(url)}: ${lookup.message}` } };
  const credential = lookup?.kind === 'found' ? lookup.credential : undefined;
  // The clone is named by which Secret serves it, not by its content: a rotated password keeps the clone.
  const identity = credential === undefined ? credentialIdentity(parsed.repo) : shortHash(`secret\0${credential.identity}`);
  return {
    ok: true,
    access: {
      url,
      repo: parsed.repo,
      repoKey,
      repoId: shortHash(repoKey),
      cloneKey: `${repoKey}\n${parsed.repo.transport}\n${identity}\n${exactLocation(parsed.repo, repoKey)}`,
      env: remoteEnvironment(parsed.repo),
      ...(credential === undefined ? {} : { credential }),
    },
  };
}

/**
 * The repository as git is told it, for the clone key: the repository key folds case and a
 * `.git` suffix (right for matching pushes to apps), but a server may tell such paths apart.
 */
function exactLocation(repo: ParsedRepoUrl, repoKey: string): string {
  if (repo.transport === 'local') return repoKey;
  const scheme = /^[a-z+]+:\/\/([^/]*)(.*)$/i.exec(repo.remote);
  const [host, path] = scheme === null ? [repo.remote.slice(0, repo.remote.indexOf(':')), repo.remote.slice(repo.remote.indexOf(':') + 1)] : [scheme[1] ?? '', scheme[2] ?? ''];
  return `${host.slice(host.lastIndexOf('@') + 1).toLowerCase()}/${path.replace(/^\/+|\/+$/g, '')}`;
}

/** A hash of the credentials (empty when there are none): which clone they may read, never the credentials. */
function credentialIdentity(repo: ParsedRepoUrl): string {
  const ssh = repo.transport === 'ssh' ? /^(?:[a-z+]+:\/\/)?([^@/]*)@/i.exec(repo.remote)?.[1] ?? '' : '';
  const secret = `${repo.username ?? ''}\0${repo.password ?? ''}\0${ssh}`;
  return secret === '\0\0' ? '' : createHash('sha256').update(secret).digest('hex').slice(0, 16);
}

/** `host[:port]` of the remote, for the CA of capstan-tls-certs. */
export function remoteHost(repo: ParsedRepoUrl): string {
  const scheme = /^[a-z+]+:\/\/([^/]*)/i.exec(repo.remote);
  const authority = scheme === null ? repo.remote.slice(0, Math.max(repo.remote.indexOf(':'), 0)) : scheme[1] ?? '';
  return authority.slice(authority.lastIndexOf('@') + 1);
}

export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
