import type { Application } from '../../api/application.js';
import type { ResourceKey } from '../../api/object.js';
import { inspectApp } from '../../controller/inspect.js';
import { ignoreRulesFor } from '../../diff/ignore.js';
import { unifiedObjectDiff } from '../../diff/unified.js';
import { RepoCache } from '../../git/repo-cache.js';
import type { Colours } from '../output/colour.js';
import { colourDiff } from '../output/diff-colour.js';
import type { CommandIO } from '../output/io.js';
import { terminalSafe, terminalSafeLines } from '../output/terminal-safe.js';
import type { AppClient } from './client.js';
import type { ResourceClient } from '../../cluster/resources.js';
import type { AppDiff, ObjectDiff } from '../../dashboard/api-types.js';
import { livePlugins } from './live-plugins.js';

export interface DiffOptions {
  readonly cacheDir: string;
  /**
   * Read an app whose repoURL is a path on this machine. Off by default: whoever can edit the
   * Application would choose which local files are read and sent to the API server in dry runs.
   */
  readonly allowLocalRepos?: boolean;
  /** Compare with this revision instead of the one the app targets (or is pinned to). */
  readonly revision?: string;
  /** The controller's namespace, whose ConfigMap capstan-config holds the plugins (default: the app's). */
  readonly controllerNamespace?: string;
  /** The clones to use (one per process, so that two diffs never work on one clone at once); default: a new one over cacheDir. */
  readonly repos?: RepoCache;
}

/**
 * `capstan app diff NAME`: runs the controller's own comparison of the app (render, server-side
 * dry run, the same ownership and ignore rules) and prints a unified diff of each object that
 * differs; objects the app would prune show as removed, objects another app owns are named.
 * Sources are rendered with the config management plugins of the live capstan-config, as the
 * controller renders them. Returns whether anything differs.
 */
export async function diffApp(client: AppClient, app: Application, options: DiffOptions, io: CommandIO, c: Colours): Promise<boolean> {
  const diff = await computeAppDiff(client.resources, app, options, io);
  for (const o of diff.objects) io.out.write(colourDiff(terminalSafeLines(o.diff), c));
  for (const s of diff.shared) io.out.write(terminalSafe(`# ${s}`) + '\n');
  return diff.objects.length > 0 || diff.shared.length > 0;
}

/**
 * The objects of the app that differ between the cluster and Git, each with the unified diff
 * `capstan app diff` prints, and the objects another app owns. The comparison's dry runs are
 * made with `resources`' credentials.
 */
export async function computeAppDiff(resources: ResourceClient, app: Application, options: DiffOptions, io: CommandIO): Promise<AppDiff> {
  const repos = options.repos ?? new RepoCache({ cacheDir: options.cacheDir, allowLocalRepos: options.allowLocalRepos ?? false });
  const plugins = await livePlugins(resources, options.controllerNamespace ?? app.metadata.namespace ?? 'capstan', io);
  const { result, ctx } = await inspectApp(resources, repos, app, {
    cacheDir: options.cacheDir, plugins, ...(options.revision === undefined ? {} : { revision: options.revision }),
    ...(options.controllerNamespace === undefined ? {} : { controllerNamespace: options.controllerNamespace }),
  });
  if (!result.ok) throw new Error(`${result.error.reason}: ${result.error.message}`);
  const objects: ObjectDiff[] = [];
  const add = (key: ResourceKey, change: ObjectDiff['change'], diff: string): void => {
    if (diff === '') return;
    objects.push({ group: key.group, kind: key.kind, ...(key.namespace !== '' ? { namespace: key.namespace } : {}), name: key.name, change, diff });
  };
  for (const compared of ctx.compared ?? []) {
    if (compared.inSync) continue;
    const ignore = ignoreRulesFor(compared.prepared.key, app.spec.ignoreDifferences);
    add(compared.prepared.key, compared.live === undefined ? 'added' : 'modified',
      unifiedObjectDiff(compared.live, compared.predicted ?? compared.prepared.object, { ignore, ...(compared.ignored !== undefined ? { selected: compared.ignored } : {}) }));
  }
  const shared = (ctx.view?.shared ?? []).map((s) => `${s.key.kind}/${s.key.name}: owned by Application ${s.owner}, left alone`);
  for (const p of ctx.view?.prunable ?? []) add(p.key, 'removed', unifiedObjectDiff(p.object, undefined));
  return { objects, shared };
}
