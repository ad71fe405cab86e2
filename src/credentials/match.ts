/**
 * Which repository Secret serves a URL (pure), by Argo CD's rules: a `repository` Secret for
 * that URL wins; else the `repo-creds` Secret with the longest URL prefix. A `repository`
 * Secret with no credentials of its own takes those of the best `repo-creds`. URLs are compared
 * in a normal form that keeps the scheme (an https prefix never serves an ssh URL).
 */
import type { ParsedSecret } from './repo-secret.js';
import { hasAuth, type RepoCredential } from './types.js';

export type CredentialLookup =
  | { readonly kind: 'none' }
  | { readonly kind: 'found'; readonly credential: RepoCredential }
  /** The Secret that would serve the URL cannot be used; `message` names it and says why. */
  | { readonly kind: 'invalid'; readonly message: string };

/** Lower case, no surrounding space, no `.git` or trailing slash; scp-like `user@host:path` as `ssh://user@host/path`. */
export function credentialMatchKey(url: string): string {
  let value = url.trim().toLowerCase();
  if (!/^[a-z][a-z0-9+.-]*:\/\//.test(value)) {
    const colon = value.indexOf(':');
    const slash = value.indexOf('/');
    if (colon > 0 && (slash < 0 || colon < slash)) value = `ssh://${value.slice(0, colon)}/${value.slice(colon + 1).replace(/^\/+/, '')}`;
  }
  value = value.replace(/^(git\+ssh|ssh\+git):\/\//, 'ssh://');
  return value.replace(/\/+$/, '').replace(/\.git$/, '');
}

export function lookupCredential(secrets: readonly ParsedSecret[], url: string): CredentialLookup {
  const key = credentialMatchKey(url);
  const urlOf = (s: ParsedSecret): string | undefined => (s.ok ? s.credential.url : s.url);
  const kindOf = (s: ParsedSecret) => (s.ok ? s.credential.kind : s.kind);
  const identityOf = (s: ParsedSecret): string => (s.ok ? s.credential.identity : s.identity);
  const byName = (a: ParsedSecret, b: ParsedSecret): number => identityOf(a).localeCompare(identityOf(b));
  const exact = secrets.filter((s) => kindOf(s) === 'repository' && urlOf(s) !== undefined && credentialMatchKey(urlOf(s) ?? '') === key).sort(byName)[0];
  const prefixes = secrets
    .filter((s) => kindOf(s) === 'repo-creds' && urlOf(s) !== undefined && key.startsWith(credentialMatchKey(urlOf(s) ?? '')))
    .sort((a, b) => credentialMatchKey(urlOf(b) ?? '').length - credentialMatchKey(urlOf(a) ?? '').length || byName(a, b));
  const prefix = prefixes[0];
  if (exact !== undefined) {
    if (!exact.ok) return invalid(exact);
    if (hasAuth(exact.credential) || prefix === undefined) return { kind: 'found', credential: exact.credential };
    if (!prefix.ok) return invalid(prefix);
    return { kind: 'found', credential: inherit(exact.credential, prefix.credential) };
  }
  if (prefix === undefined) return { kind: 'none' };
  return prefix.ok ? { kind: 'found', credential: prefix.credential } : invalid(prefix);
}

function invalid(secret: Extract<ParsedSecret, { ok: false }>): CredentialLookup {
  return { kind: 'invalid', message: `the ${secret.identity.replace(' ', ' Secret ')} that serves this URL cannot be used: ${secret.reason}` };
}

/** A repository Secret with no credentials takes the credentials of a repo-creds Secret, keeping its own URL and settings. */
function inherit(own: RepoCredential, from: RepoCredential): RepoCredential {
  const { username, password, bearerToken, sshPrivateKey, tlsClientCert } = from;
  return {
    ...own,
    identity: `${own.identity} + ${from.identity}`,
    ...(username === undefined ? {} : { username }), ...(password === undefined ? {} : { password }),
    ...(bearerToken === undefined ? {} : { bearerToken }), ...(sshPrivateKey === undefined ? {} : { sshPrivateKey }),
    ...(tlsClientCert === undefined ? {} : { tlsClientCert }),
  };
}
