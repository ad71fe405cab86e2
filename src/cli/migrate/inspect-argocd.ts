/**
 * Reads Argo CD's configuration, Applications and AppProjects of one namespace and runs the
 * controller's comparison for each Application as `capstan controller --argocd-compat` would
 * make it (Argo CD's tracking from argocd-cm, Argo CD's AppProjects), without writing anything.
 */
import type { Application, ApplicationSource } from '../../api/application.js';
import { isRecord, type KubeObject, type ResourceKey } from '../../api/object.js';
import { toCapstanProject } from '../../argocd/project.js';
import { argoCdConfigMapName, readArgoCdConfig } from '../../argocd/settings.js';
import { toCapstanApplication } from '../../argocd/spec.js';
import { argoTrackingScheme } from '../../argocd/tracking-scheme.js';
import { argoApiVersion, argoApplicationKind, argoAppProjectKind, type ArgoApplication, type ArgoAppProject } from '../../argocd/types.js';
import type { ResourceClient } from '../../cluster/resources.js';
import { inspectApp } from '../../controller/inspect.js';
import { RepoCache } from '../../git/repo-cache.js';
import { livePlugins } from '../app/live-plugins.js';
import type { CommandIO } from '../output/io.js';
import { changesOf, type AppOutcome, type MigrationApp, type MigrationConfig, type MigrationProject, type MigrationReport } from './report.js';

export interface MigrationInspectOptions {
  readonly cacheDir: string;
  /** Read apps whose repoURL is a path on this machine (as `capstan app diff --allow-local-repos`). */
  readonly allowLocalRepos: boolean;
}

const isArgoObject = (kind: string) => (obj: KubeObject): boolean => obj.kind === kind && isRecord(obj['spec']);
const byName = (a: KubeObject, b: KubeObject): number => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');

function textData(configMap: KubeObject | undefined): Record<string, string> {
  const data = configMap === undefined ? undefined : configMap['data'];
  if (!isRecord(data)) return {};
  return Object.fromEntries(Object.entries(data).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** The objects of `kind` (argoproj.io) in `namespace`, sorted by name; none when the CRD is not installed. */
async function listArgo(resources: ResourceClient, kind: string, namespace: string): Promise<KubeObject[]> {
  const info = await resources.discovery.resolve(argoApiVersion, kind);
  if (info === undefined) return [];
  const { items } = await resources.list(info, { namespace });
  return items.filter(isArgoObject(kind)).sort(byName);
}

function sourceText(s: ApplicationSource): string {
  const at = s.targetRevision === undefined || s.targetRevision === '' ? 'HEAD' : s.targetRevision;
  return `${s.repoURL} ${s.chart !== undefined ? `chart ${s.chart}` : s.path ?? '.'}@${at}`;
}

function sourcesOf(app: Application): string[] {
  const { spec } = app;
  return (spec.sources ?? (spec.source === undefined ? [] : [spec.source])).map(sourceText);
}

function destinationOf(app: Application): string {
  const d = app.spec.destination;
  return `${d.name ?? d.server ?? ''}/${d.namespace ?? ''}`;
}

export async function inspectArgoCd(resources: ResourceClient, namespace: string, options: MigrationInspectOptions, io: CommandIO): Promise<MigrationReport> {
  const configMap = await resources.get('v1', 'ConfigMap', namespace, argoCdConfigMapName);
  const config = readArgoCdConfig(textData(configMap));
  const problems = [...config.problems];
  const migrationConfig: MigrationConfig = { found: configMap !== undefined, trackingMethod: config.settings.tracking.method, problems, ignored: config.ignored.length };
  const tracking = argoTrackingScheme({ ...config.settings.tracking, controlPlaneNamespace: namespace });
  const repos = new RepoCache({ cacheDir: options.cacheDir, allowLocalRepos: options.allowLocalRepos });
  const argoApps = await listArgo(resources, argoApplicationKind, namespace);
  const plugins = argoApps.length === 0 ? undefined : await livePlugins(resources, namespace, io);

  const applications: MigrationApp[] = [];
  for (const obj of argoApps) {
    const { app, unsupported } = toCapstanApplication(obj as KubeObject & ArgoApplication);
    const outcome: AppOutcome = unsupported.length > 0
      ? { outcome: 'refused', unsupported }
      : await compare(resources, repos, app, { namespace, tracking, ...(plugins === undefined ? {} : { plugins }), cacheDir: options.cacheDir });
    applications.push({ name: app.metadata.name ?? '', project: app.spec.project ?? 'default', sources: sourcesOf(app), destination: destinationOf(app), outcome });
  }

  const projects: MigrationProject[] = (await listArgo(resources, argoAppProjectKind, namespace)).map((obj) => {
    const { project, unsupported } = toCapstanProject(obj as KubeObject & ArgoAppProject);
    return { name: project.metadata.name ?? '', unsupported };
  });
  return { namespace, config: migrationConfig, applications, projects };
}

async function compare(
  resources: ResourceClient, repos: RepoCache, app: Application,
  options: { namespace: string; tracking: ReturnType<typeof argoTrackingScheme>; plugins?: Awaited<ReturnType<typeof livePlugins>>; cacheDir: string },
): Promise<AppOutcome> {
  try {
    const { result, ctx } = await inspectApp(resources, repos, app, {
      cacheDir: options.cacheDir, controllerNamespace: options.namespace, tracking: options.tracking, projectApiVersion: argoApiVersion,
      ...(options.plugins === undefined ? {} : { plugins: options.plugins }),
    });
    if (!result.ok) return { outcome: 'failed', error: `${result.error.reason}: ${result.error.message}` };
    const create: ResourceKey[] = [];
    const update: ResourceKey[] = [];
    let adopted = 0;
    for (const c of ctx.compared ?? []) {
      if (c.inSync) {
        if (c.live !== undefined) adopted += 1;
        continue;
      }
      (c.live === undefined ? create : update).push(c.prepared.key);
    }
    const prunable = (ctx.view?.prunable ?? []).map((p) => p.key);
    const automated = app.spec.syncPolicy?.automated;
    return changesOf({
      autoSync: automated !== undefined, autoPrune: automated?.prune === true, create, update, prunable,
      adopted,
      shared: (ctx.view?.shared ?? []).map((s) => `${s.key.kind}/${s.key.name}: owned by Application ${s.owner}, left alone`),
    });
  } catch (err) {
    return { outcome: 'failed', error: err instanceof Error ? err.message : String(err) };
  }
}
