/** `user@host:path` (scp-like) or `ssh://user@host/path`: an SSH repository URL. */
const sshUrl = /^(ssh:\/\/)?([^/:]*?)@[^@]+$/;

/**
 * A repository URL in the form project rules compare it in, as Argo CD does: lower case, trimmed,
 * `git@host:org/repo` written as `git@host/org/repo`, no `ssh://` prefix and no `.git` suffix.
 * Patterns of sourceRepos are normalized the same way, so `https://Host/Org/*.git` and
 * `git@host:org/*` match what they appear to.
 */
export function normalizeRepoUrl(url: string): string {
  let repo = url.trim().toLowerCase();
  if (sshUrl.test(repo) && !repo.startsWith('ssh://')) repo = `ssh://${repo.replace(':', '/')}`;
  if (repo.endsWith('.git')) repo = repo.slice(0, -'.git'.length);
  return repo.startsWith('ssh://') ? repo.slice('ssh://'.length) : repo;
}
