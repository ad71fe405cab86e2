/**
 * Which repository URLs Capstan hands to git, and in what form (pure). Only https, ssh, http
 * and git:// are read, plus local repositories (plain paths and file:// URLs) when they are
 * allowed. Credentials are taken out of the URL: git gets the URL without them on its command
 * line, and the credentials through its environment (see remote-env.ts).
 */
import { isAbsolute, resolve as resolvePath } from 'node:path';

export type RepoTransport = 'https' | 'http' | 'ssh' | 'git' | 'local';

export interface RepoUrlPolicy {
  /** Plain paths and file:// URLs: for local use (the demo and tests). */
  readonly allowLocal: boolean;
}

export interface ParsedRepoUrl {
  readonly transport: RepoTransport;
  /** What git is given: no password, no token, no http(s) user; a relative path made absolute. */
  readonly remote: string;
  /** http(s) Basic credentials, percent-decoded. */
  readonly username?: string;
  readonly password?: string;
}

export type RepoUrlCheck = { ok: true; repo: ParsedRepoUrl } | { ok: false; reason: string };

const schemeUrl = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)([?#][\s\S]*)?$/i;
const remoteHelper = /^[a-z0-9][a-z0-9+.-]*::/i;
const networkSchemes: Readonly<Record<string, Exclude<RepoTransport, 'local'>>> = {
  https: 'https',
  http: 'http',
  ssh: 'ssh',
  'git+ssh': 'ssh',
  'ssh+git': 'ssh',
  git: 'git',
};

export const localReposRefused = 'local repositories (file:// URLs and paths) are not read unless the controller runs with --allow-local-repos';

/** Parses a repository URL, or says why Capstan does not read it. Never echoes the URL. */
export function parseRepoUrl(url: string, policy: RepoUrlPolicy): RepoUrlCheck {
  const value = url.trim();
  if (value === '') return refused('it is empty');
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(value)) return refused('it contains whitespace or control characters');
  if (remoteHelper.test(value)) return refused(`git remote helpers ("${value.slice(0, value.indexOf('::'))}::") are not supported; use https or ssh`);
  if (/^file:/i.test(value)) return local(value, policy);
  const withScheme = schemeUrl.exec(value);
  if (withScheme !== null) {
    const scheme = (withScheme[1] ?? '').toLowerCase();
    const transport = networkSchemes[scheme];
    if (transport === undefined) return refused(`the ${scheme}:// transport is not supported; use https or ssh`);
    if (withScheme[4] !== undefined) return refused('a query string or fragment is not supported (git cannot pass it on)');
    return network(scheme, transport, withScheme[2] ?? '', withScheme[3] ?? '');
  }
  if (/^[a-z]:([\\/]|$)/i.test(value)) return local(value, policy); // a drive letter: C:\repos\apps
  const bracketed = /^(?:[^@/]*@)?\[[^\]/]*\]:/.exec(value);
  const colon = bracketed === null ? value.indexOf(':') : bracketed[0].length - 1;
  const slash = value.indexOf('/');
  if (colon > 0 && (slash < 0 || colon < slash)) return scpLike(value, colon);
  return local(value, policy);
}

/** True for a plain path or a file:// URL: a repository on this machine. */
export function isLocalRepoUrl(url: string): boolean {
  const parsed = parseRepoUrl(url, { allowLocal: true });
  return parsed.ok && parsed.repo.transport === 'local';
}

function refused(reason: string): RepoUrlCheck {
  return { ok: false, reason };
}

function local(value: string, policy: RepoUrlPolicy): RepoUrlCheck {
  if (!policy.allowLocal) return refused(localReposRefused);
  if (/^file:/i.test(value)) {
    if (!/^file:\/\//i.test(value)) return refused('a file: URL must be file:///absolute/path');
    return { ok: true, repo: { transport: 'local', remote: `file://${value.slice('file://'.length)}` } };
  }
  return { ok: true, repo: { transport: 'local', remote: isAbsolute(value) ? value : resolvePath(value) } };
}

function network(scheme: string, transport: Exclude<RepoTransport, 'local'>, authority: string, path: string): RepoUrlCheck {
  const at = authority.lastIndexOf('@');
  const userInfo = at < 0 ? undefined : authority.slice(0, at);
  const hostPort = authority.slice(at + 1);
  const host = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(hostPort);
  const hostName = host?.[1] ?? '';
  const port = host?.[2];
  if (hostName === '') return refused('it names no host');
  if (hostName.startsWith('-')) return refused('a host name cannot start with "-"');
  if (port !== undefined && port !== '' && !/^\d{1,5}$/.test(port)) return refused('the port is not a number');
  const base = `${scheme}://`;
  if (userInfo === undefined) return { ok: true, repo: { transport, remote: `${base}${hostPort}${path}` } };
  const colon = userInfo.indexOf(':');
  const rawUser = colon < 0 ? userInfo : userInfo.slice(0, colon);
  const rawPassword = colon < 0 ? undefined : userInfo.slice(colon + 1);
  const username = decoded(rawUser);
  const password = rawPassword === undefined ? '' : decoded(rawPassword);
  if (username === undefined || password === undefined) return refused('the user part is not valid percent-encoding');
  switch (transport) {
    case 'git':
      return refused('git:// has no authentication; remove the user part');
    case 'ssh':
      if (rawPassword !== undefined) return refused('ssh does not take a password from the URL; use a key');
      if (rawUser.startsWith('-')) return refused('a user name cannot start with "-"');
      return { ok: true, repo: { transport, remote: `${base}${userInfo}@${hostPort}${path}` } };
    case 'https':
    case 'http':
      return { ok: true, repo: { transport, remote: `${base}${hostPort}${path}`, username, password } };
  }
}

/** git's rule: `[user@]host:path` is ssh when no slash comes before the first colon. */
function scpLike(value: string, colon: number): RepoUrlCheck {
  const hostPart = value.slice(0, colon);
  const path = value.slice(colon + 1);
  const at = hostPart.lastIndexOf('@');
  const user = at < 0 ? '' : hostPart.slice(0, at);
  const host = hostPart.slice(at + 1);
  if (host === '' || host.startsWith('-') || user.startsWith('-')) return refused('the host or user of an scp-like URL cannot be empty or start with "-"');
  // `user:password@host:path` is read by git as host "user": the password would reach ssh's command line.
  if (at < 0 && /^[^/]*@[^/]*:/.test(path)) return refused('ssh does not take a password from the URL; use a key');
  return { ok: true, repo: { transport: 'ssh', remote: value } };
}

function decoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
