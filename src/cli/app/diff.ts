import type { Application } from '../../api/application.js';
import { fieldManager } from '../../api/annotations.js';
import type { KubeObject } from '../../api/object.js';
import { prepareDesired } from '../../controller/steps/prepare.js';
import { ignoreRulesFor } from '../../diff/ignore.js';
import { unifiedObjectDiff } from '../../diff/unified.js';
import { RepoCache } from '../../git/repo-cache.js';
import { renderDirectory } from '../../render/directory.js';
import type { Colours } from '../output/colour.js';
import { colourDiff } from '../output/diff-colour.js';
import type { CommandIO } from '../output/io.js';
import type { AppClient } from './client.js';

export interface DiffOptions {
  readonly cacheDir: string;
  /** Compare with this revision instead of the one the app is synced to. */
  readonly revision?: string;
}

/**
 * `capstan app diff NAME`: renders the app's source at its revision, asks the API server what
 * applying each object would produce (server-side dry run, as the controller does), and prints
 * a unified diff against the live objects; objects the app would prune show as removed.
 * Returns whether anything differs.
 */
export async function diffApp(client: AppClient, app: Application, options: DiffOptions, io: CommandIO, c: Colours): Promise<boolean> {
  const repos = new RepoCache({ cacheDir: options.cacheDir });
  const { repoURL } = app.spec.source;
  const revision = options.revision ?? app.status?.sync?.revision ?? app.spec.source.targetRevision;
  const resolved = await repos.resolve(repoURL, revision, { force: true });
  if (!resolved.ok) throw new Error(resolved.error.message);
  const tree = await repos.checkout(repoURL, resolved.sha);
  if (!tree.ok) throw new Error(tree.error.message);
  const rendered = await renderDirectory(tree.dir, app.spec.source.path ?? '.', app.spec.source.directory ?? {});
  if (!rendered.ok) throw new Error(rendered.errors.map((e) => `${e.file}${e.line !== undefined ? `:${e.line}` : ''}: ${e.message}`).join('\n'));
  const prepared = await prepareDesired(client.resources.discovery, app, rendered.objects);
  if (!prepared.ok) throw new Error(prepared.failure.message);
  let differs = false;
  const print = (text: string): void => {
    if (text === '') return;
    differs = true;
    io.out.write(colourDiff(text, c));
  };
  for (const p of prepared.value) {
    const live = await client.resources.get(p.object.apiVersion, p.key.kind, p.key.namespace, p.key.name);
    const predicted = await predict(client, p.object, live);
    print(unifiedObjectDiff(live, predicted, { ignore: ignoreRulesFor(p.key, app.spec.ignoreDifferences) }));
  }
  for (const r of app.status?.resources ?? []) {
    if (r.requiresPruning !== true) continue;
    const live = await client.resources.get(r.group === '' ? r.version : `${r.group}/${r.version}`, r.kind, r.namespace, r.name);
    if (live !== undefined) print(unifiedObjectDiff(live, undefined));
  }
  return differs;
}

/** What the object would be after applying: the server's dry run, or the desired object when that cannot run. */
async function predict(client: AppClient, desired: KubeObject, live: KubeObject | undefined): Promise<KubeObject> {
  try {
    return await client.resources.apply(desired, { fieldManager, force: true, dryRun: true });
  } catch (err) {
    if (live === undefined) return desired; // e.g. its namespace does not exist yet
    throw err;
  }
}
