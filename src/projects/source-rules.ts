import { denied, notPermitted, ruleList } from './describe.js';
import { isDenyPattern, ruleMatches } from './glob.js';
import { normalizeRepoUrl } from './repo-url.js';
import type { AppProject } from './types.js';

/**
 * Whether the project lets its apps read `repoURL`: some sourceRepos glob must match it and no
 * `!` glob may (a deny wins), as Argo CD documents it: a list of denials alone permits nothing. URLs and globs are compared normalized; `*` does not cross a `/`
 * (`**` does), except that `*` alone matches every repository. Undefined when permitted,
 * else the problem naming the rule.
 */
export function sourcePermitted(project: AppProject, repoURL: string): string | undefined {
  const repo = normalizeRepoUrl(repoURL);
  const patterns = project.spec.sourceRepos ?? [];
  let allowed = false;
  for (const pattern of patterns) {
    const normalized = isDenyPattern(pattern) ? `!${normalizeRepoUrl(pattern.slice(1))}` : normalizeRepoUrl(pattern);
    const matched = ruleMatches(normalized, repo, { negation: true, separators: '/' });
    if (matched && !isDenyPattern(normalized)) allowed = true;
    if (!matched && isDenyPattern(normalized)) return denied(project, `source repository ${JSON.stringify(repoURL)}`, `sourceRepos: ${pattern}`);
  }
  return allowed ? undefined : notPermitted(project, `source repository ${JSON.stringify(repoURL)}`, ruleList('sourceRepos', patterns));
}
