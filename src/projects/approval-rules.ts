import { selectingRule, type DestinationRef } from './destination-rules.js';
import type { AppProject, ProjectDestination } from './types.js';

/** The entry of the project's approval.destinations that makes an app deploying to `dest` require approval; undefined when none does. */
export function approvalRuleFor(project: AppProject, dest: DestinationRef): ProjectDestination | undefined {
  return selectingRule(project.spec.approval?.destinations ?? [], dest);
}

/** Whether self-heal at the revision last synced stays automatic for the project's apps that require approval (approval.selfHeal, default true). */
export function approvalSelfHeals(project: AppProject | undefined): boolean {
  return project?.spec.approval?.selfHeal !== false;
}
