import type { Application } from '../../api/application.js';
import { inspectApp } from '../../controller/inspect.js';
import { ignoreRulesFor } from '../../diff/ignore.js';
import { unifiedObjectDiff } from '../../diff/unified.js';
import { RepoCache } from '../../git/repo-cache.js';
import type { Colours } from '../output/colour.js';
import { colourDiff } from '../output/diff-colour.js';
import type { CommandIO } from '../output/io.js';
import { terminalSafe, terminalSafeLines } from '../output/terminal-safe.js';
import type { AppClient } from './client.js';
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
}

/**
 * `capstan app diff NAME`: runs the controller's own comparison of the app (render, server-side
 * dry run, the same ownership and ignore rules) and prints a unified diff of each object that
 * differs; objects the app would prune show as removed, objects another app owns are named.
 * Sources are rendered with the config management plugins of the live capstan-config, as the
 * controller renders them. Returns whether anything differs.
 */
export async function diffApp(client: AppClient, app: Application, options: DiffOptions, io: CommandIO, c: Colours): Promise<boolean> {
  const repos = new RepoCache({ cacheDir: options.cacheDir, allowLocalRepos: options.allowLocalRepos ?? false });
  const plugins = await livePlugins(client.resources, options.controllerNamespace ?? app.metadata.namespace ?? 'capstan', io);
  const { result, ctx } = await inspectApp(client.resources, repos, app, {
    cacheDir: options.cacheDir, plugins, ...(options.revision === undefined ? {} : { revision: options.revision }),
    ...(options.controllerNamespace === undefined ? {} : { controllerNamespace: options.controllerNamespace }),
  });
  if (!result.ok) throw new Error(`${result.error.reason}: ${result.error.message}`);
  let differs = false;
  const print = (text: string): void => {
    if (text === '') return;
    differs = true;
    io.out.write(colourDiff(terminalSafeLines(text), c));
  };
  for (const compared of ctx.compared ?? []) {
    if (compared.inSync) continue;
    const ignore = ignoreRulesFor(compared.prepared.key, app.spec.ignoreDifferences);
    print(unifiedObjectDiff(compared.live, compared.predicted ?? compared.prepared.object, { ignore, ...(compared.ignored !== undefined ? { selected: compared.ignored } : {}) }));
  }
  for (const s of ctx.view?.shared ?? []) {
    differs = true;
    io.out.write(terminalSafe(`# ${s.key.kind}/${s.key.name}: owned by Application ${s.owner}, left alone`) + '\n');
  }
  for (const p of ctx.view?.prunable ?? []) print(unifiedObjectDiff(p.object, undefined));
  return differs;
}
