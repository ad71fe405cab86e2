/**
 * `capstan render -f`: the render request of each source of an Application, as the controller
 * renders them: every source but those that only lend their tree (a `ref` with no path and no
 * chart), a Git source from its checkout on disk, a chart fetched from its chart repository.
 */
import { renderedSources, type Application, type ApplicationSource } from '../../api/application.js';
import { refsOf } from '../../api/value-refs.js';
import { ChartFetcher } from '../../charts/index.js';
import type { RenderCommandFlags } from './flags.js';
import { locateRepository, type Located } from './locate.js';
import type { Planned, SourcePlan } from './plan.js';
import { renderRequest, type RenderedApp } from './request.js';
import { sourceOptionFlags } from './source-flags.js';

/** The Application as read from the file. */
export interface AppSources {
  readonly app: Application;
  readonly sources: readonly ApplicationSource[];
  /** The app sets spec.sources. */
  readonly multi: boolean;
}

type Step<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

const atOf = (read: AppSources, index: number): string => (read.multi ? `spec.sources[${index}]` : 'spec.source');

/** The checkouts given on the command line, by source index: --source-root INDEX=DIR, and --repo-root for the first. */
function sourceRoots(read: AppSources, flags: RenderCommandFlags): Step<Map<number, string>> {
  const roots = new Map<number, string>();
  const refuse = (message: string): Step<Map<number, string>> => ({ ok: false, message });
  for (const { name, value } of flags.sourceRoot ?? []) {
    const given = `--source-root ${name}=${value}`;
    if (!/^\d+$/.test(name)) return refuse(`${given}: expected INDEX=DIR, INDEX the place of the source in spec.sources (from 0)`);
    const index = Number(name);
    const source = read.sources[index];
    if (source === undefined) return refuse(`${given}: the app has ${read.sources.length === 1 ? 'one source (index 0)' : `${read.sources.length} sources (indexes 0 to ${read.sources.length - 1})`}`);
    if (roots.has(index)) return refuse(`--source-root ${index}: given twice`);
    if (source.chart !== undefined) return refuse(`${given}: ${atOf(read, index)} is a chart of a chart repository (fetched, not checked out)`);
    roots.set(index, value);
  }
  if (flags.repoRoot !== undefined) {
    if (roots.has(0)) return refuse('--repo-root and --source-root 0=DIR both name the checkout of the first source; give one');
    roots.set(0, flags.repoRoot);
  }
  return { ok: true, value: roots };
}

/** The checkouts of the sources, each found once (a source may be rendered and lend its tree too). */
class SourceTrees {
  private readonly found = new Map<number, Promise<Located>>();

  constructor(private readonly read: AppSources, private readonly roots: ReadonlyMap<number, string>) {}

  /** The tree of source `index`, or why there is none: a message that names the source. */
  async locate(index: number): Promise<Located> {
    let found = this.found.get(index);
    if (found === undefined) {
      found = this.find(index);
      this.found.set(index, found);
    }
    return found;
  }

  private async find(index: number): Promise<Located> {
    const { read } = this;
    const source = read.sources[index] ?? { repoURL: '' };
    const at = atOf(read, index);
    const names = read.multi ? { at, flag: `--source-root ${index}=DIR` } : { at, flag: '--repo-root DIR' };
    const located = await locateRepository(source.repoURL, source.path ?? '.', this.roots.get(index), names);
    return located.ok || !read.multi || located.message.startsWith(at) ? located : { ok: false, message: `${at}: ${located.message}` };
  }
}

/** The trees of the sources whose `ref` the source's values files name (`$<ref>/path`), by ref. */
async function refTrees(read: AppSources, trees: SourceTrees, source: ApplicationSource, at: string): Promise<Step<Record<string, string>>> {
  const refs: Record<string, string> = {};
  for (const ref of refsOf(source)) {
    const index = read.sources.findIndex((s) => s.ref === ref);
    const target = read.sources[index];
    if (target === undefined || target.chart !== undefined) return { ok: false, message: `${at}: helm valueFiles name $${ref}, which is not a Git source with ref: ${ref}` };
    const tree = await trees.locate(index);
    if (!tree.ok) return tree;
    refs[ref] = tree.repoRoot;
  }
  return { ok: true, value: refs };
}

/** A chart of a chart repository, resolved at targetRevision and fetched into the cache directory. */
async function fetchChart(ref: { repoURL: string; chart: string; targetRevision?: string | undefined }, cacheDir: string): Promise<{ ok: true; archive: string; version: string } | { ok: false; message: string }> {
  const fetcher = new ChartFetcher({ cacheDir });
  const resolved = await fetcher.resolve(ref);
  if (!resolved.ok) return { ok: false, message: `${resolved.code}: ${resolved.message}` };
  const fetched = await fetcher.fetch({ ...ref, version: resolved.version, digest: resolved.digest });
  if (!fetched.ok) return { ok: false, message: `${fetched.code}: ${fetched.message}` };
  return { ok: true, archive: fetched.archive, version: resolved.version };
}

async function planSource(read: AppSources, trees: SourceTrees, index: number, flags: RenderCommandFlags): Promise<Step<SourcePlan>> {
  const source = read.sources[index] ?? { repoURL: '' };
  const at = atOf(read, index);
  const label = read.multi ? `${at}: ` : '';
  const failed = (message: string): Step<SourcePlan> => ({ ok: false, message: message.startsWith('spec.source') ? message : `${label}${message}` });
  const refs = await refTrees(read, trees, source, at);
  if (!refs.ok) return failed(refs.message);
  const { metadata, spec } = read.app;
  const app = { name: metadata.name ?? '', namespace: spec.destination.namespace, repoURL: source.repoURL, targetRevision: source.targetRevision };
  const built = (rendered: RenderedApp, repoRoot: string, chartArchive?: string) => renderRequest({ app: rendered, source, flags, repoRoot, chartArchive, refs: refs.value, at });
  if (source.chart !== undefined) {
    const chart = await fetchChart({ repoURL: source.repoURL, chart: source.chart, targetRevision: source.targetRevision }, flags.cacheDir);
    if (!chart.ok) return failed(chart.message);
    const request = built({ ...app, revision: chart.version }, '', chart.archive);
    return request.ok ? { ok: true, value: { request: request.request, display: { base: '', from: '.' }, label, index } } : failed(request.message);
  }
  const located = await trees.locate(index);
  if (!located.ok) return located;
  const request = built({ ...app, revision: located.revision }, located.repoRoot);
  return request.ok ? { ok: true, value: { request: request.request, display: located.display, label, index } } : failed(request.message);
}

/**
 * The render of each source that is rendered, in the order of spec.sources; refused when a
 * tree is not found or a chart not fetched (the message names the source), and when flags that
 * set one source's options are given for an app that renders several.
 */
export async function planSources(read: AppSources, flags: RenderCommandFlags): Promise<Planned> {
  const roots = sourceRoots(read, flags);
  if (!roots.ok) return roots;
  const rendered = new Set(renderedSources(read.app.spec));
  const indexes = read.sources.flatMap((s, i) => (rendered.has(s) ? [i] : []));
  const optionFlags = sourceOptionFlags(flags);
  if (indexes.length > 1 && optionFlags.length > 0) {
    const names = indexes.map((i) => `spec.sources[${i}]`).join(', ');
    return { ok: false, message: `${optionFlags.join(', ')} set the options of one source, and the app renders ${indexes.length} (${names}): set them in the file` };
  }
  const trees = new SourceTrees(read, roots.value);
  const plans: SourcePlan[] = [];
  for (const index of indexes) {
    const plan = await planSource(read, trees, index, flags);
    if (!plan.ok) return plan;
    plans.push(plan.value);
  }
  return { ok: true, plan: { sources: plans } };
}
