import { reasons } from '../../api/conditions.js';
import { describeObject } from '../../api/object.js';
import { fail, ok } from '../../api/result.js';
import { boundList } from '../../api/text.js';
import { inCluster } from '../adapters.js';
import { required, targetOf, type Step } from '../context.js';
import type { PreparedObject } from './prepare.js';

/** The protected namespace an object would write to: its own, or the one a Namespace object is. */
function protectedTarget(p: PreparedObject, protectedNamespaces: ReadonlySet<string>, exempt: readonly { group: string; kind: string }[]): string | undefined {
  if (exempt.some((k) => k.group === p.info.group && k.kind === p.info.kind)) return undefined;
  const namespace = p.object.metadata.namespace;
  if (namespace !== undefined && protectedNamespaces.has(namespace)) return namespace;
  const isNamespace = p.info.group === '' && p.info.kind === 'Namespace';
  if (isNamespace && protectedNamespaces.has(p.object.metadata.name ?? '')) return p.object.metadata.name;
  return undefined;
}

/**
 * Refuses the whole render when an object would land in a protected namespace (the controller's
 * own: its ServiceAccount, token and Deployment live there), or is one. Nothing is applied or
 * pruned; the message names the objects and the flag that allows them.
 */
export const guardNamespaces: Step = {
  name: 'guard',
  run: (ctx) => {
    // The controller's namespace is protected in the cluster it runs in, not in other destinations.
    const protectedNamespaces = new Set(targetOf(ctx).cluster === inCluster.cluster ? ctx.deps.settings.protectedNamespaces ?? [] : []);
    if (protectedNamespaces.size === 0) return Promise.resolve(ok(undefined));
    // Hooks too: a Job created in the controller's namespace would run with what lives there.
    const refused = [...required(ctx.prepared, 'the prepared objects'), ...(ctx.hooks ?? [])]
      .filter((p) => protectedTarget(p, protectedNamespaces, ctx.deps.settings.ownNamespaceKinds ?? []) !== undefined)
      .map((p) => describeObject(p.key, { withNamespace: true }));
    if (refused.length === 0) return Promise.resolve(ok(undefined));
    const names = [...protectedNamespaces].sort().join(', ');
    return Promise.resolve(fail(reasons.protectedNamespace,
      `${boundList(refused, { maxItems: 5 })}: the controller protects namespace${protectedNamespaces.size > 1 ? 's' : ''} ${names} ` +
      '(its own holds its credentials); nothing was applied. An administrator may allow its own namespace with --allow-own-namespace'));
  },
};
