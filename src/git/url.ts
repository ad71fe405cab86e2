/** Pure helpers for repository URLs: a canonical cache key, and redaction of credentials. */
import { posix } from 'node:path';

const schemeUrl = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/i;
const sshSchemes = new Set(['ssh', 'git+ssh', 'ssh+git']);
const defaultPorts: Readonly<Record<string, string>> = {
  http: '80',
  https: '443',
  ssh: '22',
  'git+ssh': '22',
  'ssh+git': '22',
  git: '9418',
};

/**
 * A canonical form so that https://Host/Org/Repo.git, git@host:org/repo, ssh://git@host/org/repo
 * and http://host/org/repo/ all match: `host[:port]/path`, lower case, without user, default
 * port, `.git` suffix or trailing slash. Local repositories (plain paths and file:// URLs) become
 * `file://<path>` with their case and any `.git` kept, because a file system tells those apart.
 */
export function normalizeRepoUrl(url: string): string {
  const trimmed = url.trim();
  const withScheme = schemeUrl.exec(trimmed);
  if (withScheme !== null) {
    const scheme = (withScheme[1] ?? '').toLowerCase();
    const path = withScheme[3] ?? '';
    if (scheme === 'file') return localKey(path);
    const { host, port } = splitAuthority(withScheme[2] ?? '');
    return remoteKey(host, port === defaultPorts[scheme] ? '' : port, path);
  }
  const scp = scpLike(trimmed);
  if (scp !== undefined) return remoteKey(scp.host, '', scp.path);
  return localKey(trimmed);
}

/**
 * The URL with credentials removed, safe to log or put in a status message. For http(s) and
 * git:// the whole user part goes (tokens are often passed as the user name); for ssh the
 * login name stays (`git@host`) and only a password goes. Every query value and any fragment
 * go too (tokens are passed as `?private_token=…`).
 */
export function redactUrl(url: string): string {
  const withScheme = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)([^?#]*)(\?[^#]*)?(#[\s\S]*)?$/i.exec(url);
  if (withScheme !== null) {
    const prefix = withScheme[1] ?? '';
    const authority = withScheme[2] ?? '';
    const at = authority.lastIndexOf('@');
    const host = at < 0 ? authority : redactUserInfo(prefix, authority.slice(0, at)) + authority.slice(at + 1);
    const query = withScheme[4] === undefined ? '' : `?${redactQuery(withScheme[4].slice(1))}`;
    const fragment = withScheme[5] === undefined || withScheme[5] === '#' ? (withScheme[5] ?? '') : `#${redacted}`;
    return prefix + host + (withScheme[3] ?? '') + query + fragment;
  }
  // scp-like `user:password@host:path`: keep the login name only.
  const scp = /^([^/@:]+):[^/@]*@(.*)$/.exec(url);
  if (scp !== null) return `${scp[1] ?? ''}@${scp[2] ?? ''}`;
  return redactTokenParameters(url);
}

/**
 * Removes credentials from free text, such as git's error output: the user part and query
 * values of every URL, values of parameters named like tokens, and Authorization headers.
 */
export function redactText(text: string): string {
  const withoutUserInfo = text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#'"]*)@/gi, (_match, prefix: string, userInfo: string) => {
    return prefix + redactUserInfo(prefix, userInfo);
  });
  const withoutQueries = withoutUserInfo.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s?#'"]*)\?([^\s#'"]*)/gi, (_match, base: string, query: string) => {
    return `${base}?${redactQuery(query)}`;
  });
  return redactTokenParameters(withoutQueries).replace(/\b(authorization:\s*(?:basic|bearer|token)\s+)[^\s'"]+/gi, `$1${redacted}`);
}

const redacted = 'redacted';
const tokenParameters = /\b((?:private|access|refresh|id|auth|oauth2?)[_-]?token|token|password|passwd|secret|client[_-]?secret|api[_-]?key|apikey|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential)=([^&\s'"#;]+)/gi;

function redactTokenParameters(text: string): string {
  return text.replace(tokenParameters, (_match, name: string) => `${name}=${redacted}`);
}

/** `a=1&b&c=` → `a=redacted&redacted&c=`: every value goes, and a bare item may itself be a token. */
function redactQuery(query: string): string {
  return query
    .split('&')
    .map((item) => {
      const eq = item.indexOf('=');
      if (eq < 0) return item === '' ? '' : redacted;
      return eq === item.length - 1 ? item : `${item.slice(0, eq + 1)}${redacted}`;
    })
    .join('&');
}

/** What is left of a user-info part, followed by '@' when something is left. */
function redactUserInfo(schemePrefix: string, userInfo: string): string {
  const scheme = schemePrefix.slice(0, -'://'.length).toLowerCase();
  if (!sshSchemes.has(scheme)) return '';
  const user = userInfo.split(':', 1)[0] ?? '';
  return user === '' ? '' : `${user}@`;
}

/** git's rule: `[user@]host:path` is ssh when no slash comes before the first colon. */
function scpLike(value: string): { host: string; path: string } | undefined {
  const colon = value.indexOf(':');
  if (colon <= 0) return undefined;
  const slash = value.indexOf('/');
  if (slash >= 0 && slash < colon) return undefined;
  const hostPart = value.slice(0, colon);
  const at = hostPart.lastIndexOf('@');
  return { host: hostPart.slice(at + 1), path: value.slice(colon + 1) };
}

function splitAuthority(authority: string): { host: string; port: string } {
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const bracketed = /^(\[[^\]]*\])(?::(\d*))?$/.exec(hostPort);
  if (bracketed !== null) return { host: bracketed[1] ?? '', port: bracketed[2] ?? '' };
  const colon = hostPort.lastIndexOf(':');
  return colon < 0 ? { host: hostPort, port: '' } : { host: hostPort.slice(0, colon), port: hostPort.slice(colon + 1) };
}

function remoteKey(host: string, port: string, path: string): string {
  const cleanPath = path
    .replace(/\/{2,}/g, '/')
    .replace(/^\/+|\/+$/g, '')
    .replace(/\.git$/i, '')
    .replace(/\/+$/, '');
  const hostPort = port === '' ? host : `${host}:${port}`;
  return `${hostPort}/${cleanPath}`.toLowerCase();
}

function localKey(path: string): string {
  const normalized = posix.normalize(path === '' ? '/' : path);
  const trimmed = normalized.length > 1 ? normalized.replace(/\/+$/, '') : normalized;
  return `file://${trimmed}`;
}
