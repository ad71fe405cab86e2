/** Runs `capstan render`: plans the render, renders through the controller's manifest renderer, and prints the objects or the errors. */
import { formatResourceKey, resourceKeyOf, type KubeObject } from '../../api/object.js';
import { localManifestRenderer, type ManifestRenderer } from '../../render/manifest-renderer.js';
import type { PluginSet } from '../../render/plugins/config.js';
import { parseRenderedObjects } from '../../render/serialized.js';
import type { RenderError } from '../../render/types.js';
import { locatedMessage, toJson, toYamlDocuments } from '../output/format.js';
import type { CommandIO } from '../output/io.js';
import { terminalSafe } from '../output/terminal-safe.js';
import type { RenderCommandFlags } from './flags.js';
import { displayPath, type FileDisplay } from './locate.js';
import { planApplication, planDirectory, readText, type Planned, type RenderPlan } from './plan.js';
import { readPluginsFile } from './plugins-file.js';

/** `file:line: message`, the file (relative to the repository root) shown under `root`, or as `display` shows it. */
export function describeRenderError(root: string | FileDisplay, error: RenderError): string {
  const display = typeof root === 'string' ? { base: root, from: '.' } : root;
  return locatedMessage(displayPath(display, error.file), error.line, error.message);
}

function failed(io: CommandIO, lines: readonly string[]): void {
  for (const line of lines) io.err.write(`${terminalSafe(line)}\n`);
  io.setExitCode(1);
}

/** --plugins FILE: its plugins (its problems written to stderr as warnings), or why it cannot be read. */
async function loadPlugins(file: string, flags: RenderCommandFlags, io: CommandIO): Promise<{ ok: true; plugins: PluginSet } | { ok: false; message: string }> {
  if (file === '-' && flags.file === '-') return { ok: false, message: '--plugins - and -f - cannot both read stdin' };
  const text = await readText(file, io);
  if (!text.ok) return text;
  const read = readPluginsFile(text.text);
  const name = file === '-' ? 'stdin' : file;
  if (!read.ok) return { ok: false, message: `${name}: ${read.message}` };
  for (const warning of read.warnings) io.err.write(`${terminalSafe(`warning: ${name}: ${warning}`)}\n`);
  return { ok: true, plugins: read.plugins };
}

/** Renders every source of the plan: the objects of all, or the error lines of those that failed. */
async function renderAll(renderer: ManifestRenderer, plan: RenderPlan): Promise<{ ok: true; objects: KubeObject[] } | { ok: false; lines: string[] }> {
  const objects: KubeObject[] = [];
  const lines: string[] = [];
  const declaredBy = new Map<string, number>();
  for (const source of plan.sources) {
    const result = await renderer.render(source.request);
    if (!result.ok) {
      lines.push(...result.errors.map((error) => `${source.label}${describeRenderError(source.display, error)}`));
      // Kustomize, Helm and Jsonnet run on a copy of the whole root: a work tree with much beside the source may be too large.
      if (plan.chosenRoot !== undefined && result.errors.some((e) => e.code === 'TooLarge' && e.message.startsWith('the repository holds more than'))) lines.push(`the repository root is the git work tree ${plan.chosenRoot}; --repo-root DIR names a smaller one`);
      continue;
    }
    for (const object of await parseRenderedObjects(result.objects)) {
      const key = formatResourceKey(resourceKeyOf(object));
      const other = declaredBy.get(key);
      if (other !== undefined) lines.push(`${object.kind} ${object.metadata.name ?? ''} is declared by both spec.sources[${other}] and spec.sources[${source.index}]`);
      declaredBy.set(key, source.index);
      objects.push(object);
    }
  }
  return lines.length > 0 ? { ok: false, lines } : { ok: true, objects };
}

/**
 * Renders PATH (or, with -f, each source of the Application) and prints the objects: YAML
 * documents, or a v1 List with -o json. Every source is rendered; when any fails, or two
 * declare the same object, only the errors are printed.
 */
export async function runRender(given: string | undefined, flags: RenderCommandFlags, io: CommandIO): Promise<void> {
  const plugins = flags.plugins === undefined ? undefined : await loadPlugins(flags.plugins, flags, io);
  if (plugins !== undefined && !plugins.ok) {
    failed(io, [plugins.message]);
    return;
  }
  const planned: Planned = flags.file !== undefined ? await planApplication(flags.file, flags, io) : await planDirectory(given ?? '.', flags);
  if (!planned.ok) {
    failed(io, [planned.message]);
    return;
  }
  const renderer = localManifestRenderer({
    limits: { maxManifestBytes: flags.maxManifestBytes }, timeoutMs: flags.renderTimeout, kustomizeAllowRemote: flags.kustomizeAllowRemote,
    ...(plugins === undefined ? {} : { plugins: () => plugins.plugins }),
  });
  let rendered;
  try {
    rendered = await renderAll(renderer, planned.plan);
  } finally {
    await renderer.close();
  }
  if (!rendered.ok) {
    failed(io, rendered.lines);
    return;
  }
  if (flags.output === 'json') io.out.write(toJson({ apiVersion: 'v1', kind: 'List', items: rendered.objects }));
  else io.out.write(toYamlDocuments(rendered.objects));
}
