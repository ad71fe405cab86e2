import type { AppProject } from './types.js';

export const projectName = (project: AppProject): string => project.metadata.name ?? '';

/** `field: a, b` for a problem message; `field: none` when the list is empty or absent. */
export function ruleList(field: string, items: readonly string[] | undefined): string {
  const shown = items ?? [];
  if (shown.length === 0) return `${field}: none`;
  const limit = 10;
  const head = shown.slice(0, limit).join(', ');
  return `${field}: ${shown.length > limit ? `${head}, … (${shown.length} in all)` : head}`;
}

/** A problem stating that a project does not permit something: `<what> is not permitted by project "p" (<rule>)`. */
export const notPermitted = (project: AppProject, what: string, rule: string): string =>
  `${what} is not permitted by project ${JSON.stringify(projectName(project))} (${rule})`;

/** A problem stating that a deny rule of a project matched: `<what> is denied by project "p" (<rule>)`. */
export const denied = (project: AppProject, what: string, rule: string): string =>
  `${what} is denied by project ${JSON.stringify(projectName(project))} (${rule})`;
