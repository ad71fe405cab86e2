import { notPermitted, ruleList } from './describe.js';
import { globMatches } from './glob.js';
import type { AppProject } from './types.js';

/**
 * Whether an Application in `appNamespace` may use the project: always in the controller's own
 * namespace, elsewhere only when a glob of sourceNamespaces matches the namespace. Undefined when
 * permitted, else the problem naming the rule.
 */
export function appNamespacePermitted(project: AppProject, appNamespace: string, controllerNamespace: string): string | undefined {
  if (appNamespace === '' || appNamespace === controllerNamespace) return undefined;
  const patterns = project.spec.sourceNamespaces ?? [];
  if (patterns.some((pattern) => globMatches(pattern, appNamespace))) return undefined;
  return notPermitted(project, `an Application in namespace ${JSON.stringify(appNamespace)}`, ruleList('sourceNamespaces', patterns));
}
