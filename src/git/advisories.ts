/** Warnings about a repository URL Capstan reads but that exposes something (pure; never quotes the URL). */
import { hasCredentials } from './remote-env.js';
import { parseRepoUrl } from './repo-url.js';

export interface RepoUrlAdvisory {
  readonly kind: 'credentials' | 'plaintext';
  readonly message: string;
}

export function repoUrlAdvisories(url: string): RepoUrlAdvisory[] {
  const parsed = parseRepoUrl(url, { allowLocal: true });
  if (!parsed.ok) return [];
  const { repo } = parsed;
  const advisories: RepoUrlAdvisory[] = [];
  const credentials = hasCredentials(repo);
  if (credentials) {
    advisories.push({
      kind: 'credentials',
      message: 'spec.source.repoURL holds credentials: anyone who can read this Application can read them '
        + '(Capstan keeps them out of logs, status, Events and git\'s command line); use a read-only token that can read this repository only',
    });
  }
  if (repo.transport === 'http' || repo.transport === 'git') {
    advisories.push({
      kind: 'plaintext',
      message: `spec.source.repoURL is read over plaintext ${repo.transport}://: anyone on the network path can change what is deployed`
        + `${credentials ? ' and read the credentials' : ''}; use ${repo.transport === 'http' ? 'https' : 'https or ssh'}`,
    });
  }
  return advisories;
}
