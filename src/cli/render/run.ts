/** Runs `capstan render`: plans the render, renders through the controller's manifest renderer, and prints the objects or the errors. */
import { localManifestRenderer } from '../../render/manifest-renderer.js';
import { parseRenderedObjects } from '../../render/serialized.js';
import type { RenderError } from '../../render/types.js';
import { locatedMessage, toJson, toYamlDocuments } from '../output/format.js';
import type { CommandIO } from '../output/io.js';
import { terminalSafe } from '../output/terminal-safe.js';
import type { RenderCommandFlags } from './flags.js';
import { displayPath, type FileDisplay } from './locate.js';
import { planApplication, planDirectory, type Planned } from './plan.js';

/** `file:line: message`, the file (relative to the repository root) shown under `root`, or as `display` shows it. */
export function describeRenderError(root: string | FileDisplay, error: RenderError): string {
  const display = typeof root === 'string' ? { base: root, from: '.' } : root;
  return locatedMessage(displayPath(display, error.file), error.line, error.message);
}

function failed(io: CommandIO, lines: readonly string[]): void {
  for (const line of lines) io.err.write(`${terminalSafe(line)}\n`);
  io.setExitCode(1);
}

/** Renders PATH (or, with -f, the Application's source) and prints its objects: YAML documents, or a v1 List with -o json. */
export async function runRender(given: string | undefined, flags: RenderCommandFlags, io: CommandIO): Promise<void> {
  const planned: Planned = flags.file !== undefined ? await planApplication(flags.file, flags, io) : await planDirectory(given ?? '.', flags);
  if (!planned.ok) {
    failed(io, [planned.message]);
    return;
  }
  const { request, display } = planned.plan;
  const renderer = localManifestRenderer({ limits: { maxManifestBytes: flags.maxManifestBytes }, timeoutMs: flags.renderTimeout, kustomizeAllowRemote: flags.kustomizeAllowRemote });
  let result;
  try {
    result = await renderer.render(request);
  } finally {
    await renderer.close();
  }
  if (!result.ok) {
    const lines = result.errors.map((error) => describeRenderError(display, error));
    // Kustomize, Helm and Jsonnet run on a copy of the whole root: a work tree with much beside the source may be too large.
    const { chosenRoot } = planned.plan;
    if (chosenRoot !== undefined && result.errors.some((e) => e.code === 'TooLarge' && e.message.startsWith('the repository holds more than'))) lines.push(`the repository root is the git work tree ${chosenRoot}; --repo-root DIR names a smaller one`);
    failed(io, lines);
    return;
  }
  const objects = await parseRenderedObjects(result.objects);
  if (flags.output === 'json') io.out.write(toJson({ apiVersion: 'v1', kind: 'List', items: objects }));
  else io.out.write(toYamlDocuments(objects));
}
