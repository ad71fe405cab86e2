import { denied, notPermitted, ruleList } from './describe.js';
import { isDenyPattern, ruleMatches } from './glob.js';
import type { AppProject, ProjectDestination } from './types.js';

/** Where an app deploys: its cluster by server URL and/or name (both when known), and a namespace. */
export interface DestinationRef {
  readonly server?: string;
  readonly name?: string;
  readonly namespace: string;
}

export const describeDestination = (item: ProjectDestination): string =>
  `${item.server !== undefined && item.server !== '' ? item.server : `name=${item.name ?? ''}`}/${item.namespace ?? ''}`;

const describeCluster = (dest: DestinationRef): string => JSON.stringify(dest.server !== undefined && dest.server !== '' ? dest.server : dest.name ?? '');

const present = (value: string | undefined): value is string => value !== undefined && value !== '';

/** A pattern of a rule, read as what it names: `!x` names what x matches. */
const names = (pattern: string | undefined, text: string): boolean =>
  present(pattern) && ruleMatches(isDenyPattern(pattern) ? pattern.slice(1) : pattern, text, { negation: false });

/** A rule with a `!` in any of its fields denies; the others allow. */
const isDenyRule = (item: ProjectDestination): boolean =>
  [item.server, item.name, item.namespace].some((field) => field !== undefined && isDenyPattern(field));

/** The rule names the destination's cluster (by server or by name). */
const namesCluster = (item: ProjectDestination, dest: DestinationRef): boolean =>
  (present(dest.server) && names(item.server, dest.server)) || (present(dest.name) && names(item.name, dest.name));

/** The rule names the namespace; a rule without one names only the empty namespace. */
const namesNamespace = (item: ProjectDestination, dest: DestinationRef): boolean =>
  present(item.namespace) ? names(item.namespace, dest.namespace) : dest.namespace === '';

/** What a list of destination rules says of a destination: the first allow rule and the first deny rule naming it. */
export interface DestinationMatch {
  /** An allow rule (no `!`) naming the cluster and the namespace. */
  readonly allowedBy?: ProjectDestination;
  /** A deny rule (a `!` in a field) naming the cluster and the namespace. */
  readonly deniedBy?: ProjectDestination;
  /** Some allow rule names the cluster (whatever the namespace). */
  readonly clusterKnown: boolean;
}

/**
 * The rules that name `dest`, as Argo CD reads project destinations: a rule names it when it
 * names the cluster (by server or by name) and the namespace; a rule with a `!` denies.
 */
export function matchDestinations(items: readonly ProjectDestination[], dest: DestinationRef): DestinationMatch {
  let allowedBy: ProjectDestination | undefined;
  let deniedBy: ProjectDestination | undefined;
  let clusterKnown = false;
  for (const item of items) {
    const cluster = namesCluster(item, dest);
    const named = cluster && namesNamespace(item, dest);
    if (isDenyRule(item)) {
      if (named && deniedBy === undefined) deniedBy = item;
      continue;
    }
    if (cluster) clusterKnown = true;
    if (named && allowedBy === undefined) allowedBy = item;
  }
  return { clusterKnown, ...(allowedBy !== undefined ? { allowedBy } : {}), ...(deniedBy !== undefined ? { deniedBy } : {}) };
}

/** The allow rule that selects `dest` when no deny rule excludes it (a deny wins); undefined otherwise. */
export function selectingRule(items: readonly ProjectDestination[], dest: DestinationRef): ProjectDestination | undefined {
  const match = matchDestinations(items, dest);
  return match.deniedBy === undefined ? match.allowedBy : undefined;
}

/**
 * Whether the project lets its apps deploy to `dest`, as Argo CD documents it: some allow rule
 * (no `!` in it) must name the cluster (by server or by name) and the namespace, and no deny rule
 * (a `!` in a field) may name both (a deny wins). Undefined when permitted, else the problem
 * naming the rule.
 */
export function destinationPermitted(project: AppProject, dest: DestinationRef): string | undefined {
  const items = project.spec.destinations ?? [];
  const match = matchDestinations(items, dest);
  if (match.deniedBy !== undefined) {
    return denied(project, `destination ${describeCluster(dest)} namespace ${JSON.stringify(dest.namespace)}`, `destinations: ${describeDestination(match.deniedBy)}`);
  }
  if (match.allowedBy !== undefined) return undefined;
  const rule = ruleList('destinations', items.map(describeDestination));
  return match.clusterKnown
    ? notPermitted(project, `destination namespace ${JSON.stringify(dest.namespace)}`, rule)
    : notPermitted(project, `destination cluster ${describeCluster(dest)}`, rule);
}
