/**
 * How credentials from a repository URL reach git without being on any command line (a
 * process's command line is readable by every user of the machine, its environment only by
 * its own user): as an `http.extraHeader` given through GIT_CONFIG_COUNT/KEY/VALUE, which git
 * and its git-remote-http child read from their environment. Redirects are not followed then:
 * after one, git sends its later requests, header included, to wherever it was sent.
 */
import type { ParsedRepoUrl } from './repo-url.js';

export function remoteEnvironment(repo: ParsedRepoUrl): Readonly<Record<string, string>> {
  if (repo.transport !== 'https' && repo.transport !== 'http') return {};
  if (repo.username === undefined || (repo.username === '' && (repo.password ?? '') === '')) return {};
  const basic = Buffer.from(`${repo.username}:${repo.password ?? ''}`, 'utf8').toString('base64');
  return {
    GIT_CONFIG_COUNT: '2',
    GIT_CONFIG_KEY_0: 'http.extraHeader',
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
    GIT_CONFIG_KEY_1: 'http.followRedirects',
    GIT_CONFIG_VALUE_1: 'false',
  };
}

/** Whether the URL carries credentials that anyone who can read it can see. */
export function hasCredentials(repo: ParsedRepoUrl): boolean {
  return (repo.username ?? '') !== '' || (repo.password ?? '') !== '';
}
