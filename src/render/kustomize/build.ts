import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import type { KustomizeSource } from '../../api/application.js';
import { isRecord } from '../../api/object.js';
import type { ToolRun } from '../tools/sandbox.js';
import type { ToolOutputs } from '../tools/outputs.js';
import type { RenderError } from '../types.js';
import { applyKustomizeOptions, hasKustomizeEdits } from './edit.js';
import { checkKustomizeReferences, findKustomization } from './references.js';

export interface KustomizeBuild {
  /** The private working copy of the repository. */
  readonly copyRoot: string;
  /** The source path, normalised ('.' or 'a/b'). */
  readonly sourcePath: string;
  readonly options: KustomizeSource;
  readonly allowRemote: boolean;
  readonly home: string;
  readonly run: (run: ToolRun) => Promise<{ ok: true; stdout: string } | { ok: false; error: RenderError }>;
}

function invalid(file: string, message: string): ToolOutputs {
  return { ok: false, errors: [{ code: 'InvalidOption', file, message }] };
}

/**
 * `kustomize build` of the source, with the app's kustomize options written into its
 * kustomization first (in the working copy only), the load restrictor on, and references out of
 * the repository or to remote bases (unless allowed) refused before kustomize runs.
 */
export async function buildKustomize(input: KustomizeBuild): Promise<ToolOutputs> {
  const dir = path.join(input.copyRoot, input.sourcePath);
  const file = await findKustomization(dir);
  if (file === undefined) return invalid(input.sourcePath, `source.kustomize is set, but '${input.sourcePath}' has no kustomization.yaml`);
  const relativeFile = path.posix.join(input.sourcePath, path.basename(file));
  if (hasKustomizeEdits(input.options)) {
    let parsed: unknown;
    try {
      parsed = yaml.load(await readFile(file, 'utf8'), { json: true });
    } catch (err) {
      return { ok: false, errors: [{ code: 'ParseError', file: relativeFile, message: `the kustomization is not valid YAML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` }] };
    }
    const kustomization = parsed === undefined || parsed === null ? {} : parsed;
    if (!isRecord(kustomization)) return invalid(relativeFile, 'the kustomization is not a mapping');
    const existing = new Set<string>();
    for (const c of input.options.components ?? []) if (await stat(path.resolve(dir, c)).then(() => true, () => false)) existing.add(c);
    const edited = applyKustomizeOptions(kustomization, input.options, existing);
    if (!edited.ok) return invalid(input.sourcePath, `source.kustomize: ${edited.message}`);
    await writeFile(file, yaml.dump(edited.kustomization, { noRefs: true, lineWidth: -1 }));
  }
  const refused = await checkKustomizeReferences(input.copyRoot, dir, { allowRemote: input.allowRemote });
  if (refused.length > 0) return { ok: false, errors: refused };
  const built = await input.run({
    tool: 'kustomize',
    label: 'kustomize build',
    args: ['build', input.sourcePath, '--load-restrictor', 'LoadRestrictionsRootOnly'],
    cwd: input.copyRoot,
    home: input.home,
    file: input.sourcePath,
  });
  if (!built.ok) return { ok: false, errors: [built.error] };
  return { ok: true, outputs: [{ text: built.stdout, file: input.sourcePath, format: 'yaml' }] };
}
