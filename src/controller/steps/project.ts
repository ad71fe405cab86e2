import { appSources, type Application } from '../../api/application.js';
import { reasons } from '../../api/conditions.js';
import { describeObject, resourceKeyOf, type KubeObject } from '../../api/object.js';
import { fail, ok, type Result } from '../../api/result.js';
import { boundList } from '../../api/text.js';
import { appNamespacePermitted, destinationPermitted, resourcePermitted, sourcePermitted, validateProject, type AppProject } from '../../projects/index.js';
import { appSyncOptions } from '../../sync/options.js';
import { projectNameOf, type ProjectSource } from '../project-source.js';
import type { DestinationPorts } from '../ports.js';
import { required, targetOf, type Step } from '../context.js';
import type { PreparedObject } from './prepare.js';

const nothingApplied = 'nothing was applied';

const refused = (problems: readonly string[]): Result<never> =>
  fail(reasons.projectDenied, `${boundList(problems, { maxItems: 5, maxItemChars: 400, separator: '; ' })}; ${nothingApplied}`);

/** The app's project, or why there is none: it does not exist, cannot be read, or has fields Capstan cannot carry out. */
export function appProject(projects: ProjectSource, app: Application): Result<AppProject> {
  const name = projectNameOf(app);
  const project = projects.get(name);
  const why = project === undefined
    ? projects.problem ?? `no AppProject ${JSON.stringify(name)} exists in namespace ${projects.namespace}`
    : boundList(validateProject(project), { maxItems: 5, maxItemChars: 300, separator: '; ' });
  if (project !== undefined && why === '') return ok(project);
  return fail(reasons.projectDenied, `project ${JSON.stringify(name)} cannot be used: ${why}; ${nothingApplied}`);
}

/** What the project says of the app as a whole: the namespace it lives in, every source repository, its destination. */
export function appProblems(project: AppProject, app: Application, target: DestinationPorts, controllerNamespace: string): string[] {
  const problems = [
    appNamespacePermitted(project, app.metadata.namespace ?? '', controllerNamespace),
    ...appSources(app.spec).map((source) => sourcePermitted(project, source.repoURL)),
    destinationPermitted(project, { server: target.server, name: target.cluster, namespace: app.spec.destination.namespace ?? '' }),
  ];
  return problems.filter((p): p is string => p !== undefined);
}

/**
 * The app's AppProject must exist and permit the app: its namespace (sourceNamespaces), every
 * source repository (sourceRepos) and its destination (destinations). Otherwise the app fails
 * with ProjectDenied naming the project and the rule, before anything is read or applied.
 */
export const checkProject: Step = {
  name: 'project',
  run: (ctx) => {
    const found = appProject(ctx.deps.projects, ctx.app);
    if (!found.ok) return Promise.resolve(found);
    const problems = appProblems(found.value, ctx.app, targetOf(ctx), ctx.deps.projects.namespace);
    if (problems.length > 0) return Promise.resolve(refused(problems));
    ctx.project = found.value;
    return Promise.resolve(ok(undefined));
  },
};

/** What the project says of each object: its kind (resource white/blacklists) and its namespace (destinations). */
export function objectProblems(project: AppProject, objects: readonly PreparedObject[], target: DestinationPorts): string[] {
  const cluster = { server: target.server, name: target.cluster };
  return objects.flatMap((p) => {
    const problem = resourcePermitted(project, {
      group: p.info.group, kind: p.info.kind, namespaced: p.info.namespaced,
      ...(p.object.metadata.name === undefined ? {} : { name: p.object.metadata.name }),
      ...(p.object.metadata.namespace === undefined ? {} : { namespace: p.object.metadata.namespace }),
    }, cluster);
    return problem === undefined ? [] : [`${describeObject(p.key, { withNamespace: true })}: ${problem}`];
  });
}

/**
 * What the project says of an object the app tracks in the cluster: Argo CD leaves alone a live
 * object its project does not permit (neither compared nor pruned). Undefined when permitted.
 */
export function trackedObjectProblem(project: AppProject, obj: KubeObject, target: DestinationPorts): string | undefined {
  const key = resourceKeyOf(obj);
  const problem = resourcePermitted(project, {
    group: key.group, kind: key.kind, name: key.name, namespaced: key.namespace !== '',
    ...(key.namespace === '' ? {} : { namespace: key.namespace }),
  }, { server: target.server, name: target.cluster });
  return problem === undefined ? undefined : `${describeObject(key, { withNamespace: true })}: ${problem}`;
}

/** The destination namespace CreateNamespace=true creates: a cluster-scoped Namespace the project must permit. */
function createdNamespaceProblem(project: AppProject, app: Application, target: DestinationPorts): string | undefined {
  const name = app.spec.destination.namespace;
  if (name === undefined || name === '' || !appSyncOptions(app).createNamespace) return undefined;
  const problem = resourcePermitted(project, { group: '', kind: 'Namespace', name, namespaced: false }, { server: target.server, name: target.cluster });
  return problem === undefined ? undefined : `the destination namespace CreateNamespace=true creates: ${problem}`;
}

/**
 * Every object the sync would apply, hooks included, must be of a kind the project permits
 * (cluster and namespace resource white/blacklists) and lie in a namespace its destinations
 * permit; so must the namespace CreateNamespace=true creates. One that is not fails the app with
 * ProjectDenied naming the objects and the rules; nothing is applied or pruned.
 */
export const checkProjectResources: Step = {
  name: 'project-resources',
  run: (ctx) => {
    const project = required(ctx.project, 'the project');
    const target = targetOf(ctx);
    const problems = [
      ...objectProblems(project, [...required(ctx.prepared, 'the prepared objects'), ...(ctx.hooks ?? [])], target),
      createdNamespaceProblem(project, ctx.app, target),
    ].filter((p): p is string => p !== undefined);
    return Promise.resolve(problems.length > 0 ? refused(problems) : ok(undefined));
  },
};
