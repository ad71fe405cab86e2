import type { Application } from '../../api/application.js';
import { reasons } from '../../api/conditions.js';
import { describeObject } from '../../api/object.js';
import { fail, ok } from '../../api/result.js';
import { boundList } from '../../api/text.js';
import type { ClusterScope } from '../../clusters/types.js';
import { appSyncOptions } from '../../sync/options.js';
import { required, targetOf, type Step } from '../context.js';
import type { PreparedObject } from './prepare.js';

/** Why `p` lies outside `scope`, or undefined when it lies inside. */
function outside(p: PreparedObject, scope: ClusterScope): string | undefined {
  if (!p.info.namespaced) return scope.clusterResources ? undefined : 'is cluster-scoped';
  const namespace = p.object.metadata.namespace ?? '';
  return scope.namespaces.includes(namespace) ? undefined : `is in namespace ${namespace}`;
}

function createdNamespaceOutside(app: Application, scope: ClusterScope): string | undefined {
  const name = app.spec.destination.namespace;
  if (name === undefined || name === '' || !appSyncOptions(app).createNamespace || scope.clusterResources) return undefined;
  return `Namespace ${name} (CreateNamespace=true) is cluster-scoped`;
}

/**
 * A cluster Secret with `namespaces` reaches only those namespaces (and cluster-scoped objects
 * only with clusterResources: "true"): an object, hook or created namespace outside that fails
 * the app with OutsideClusterScope naming them; nothing is applied or pruned.
 */
export const checkClusterScope: Step = {
  name: 'cluster-scope',
  run: (ctx) => {
    const target = targetOf(ctx);
    const { scope } = target;
    if (scope === undefined) return Promise.resolve(ok(undefined));
    const problems = [
      ...[...required(ctx.prepared, 'the prepared objects'), ...(ctx.hooks ?? [])].flatMap((p) => {
        const why = outside(p, scope);
        return why === undefined ? [] : [`${describeObject(p.key, { withNamespace: true })} ${why}`];
      }),
      createdNamespaceOutside(ctx.app, scope),
    ].filter((p): p is string => p !== undefined);
    if (problems.length === 0) return Promise.resolve(ok(undefined));
    const reach = `namespaces ${scope.namespaces.join(', ')}${scope.clusterResources ? ' and cluster-scoped objects' : ''}`;
    return Promise.resolve(fail(reasons.outsideClusterScope,
      `${boundList(problems, { maxItems: 5, separator: '; ' })}: the Secret of cluster ${target.cluster} reaches only ${reach}; nothing was applied`));
  },
};
