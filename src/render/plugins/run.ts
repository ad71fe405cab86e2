import path from 'node:path';
import type { ToolOutputs } from '../tools/outputs.js';
import type { ToolOutput, ToolRun } from '../tools/sandbox.js';
import type { PluginSpec } from './config.js';

export interface PluginRender {
  /** The plugin's name in capstan-config (`plugins.<name>`): what messages call it. */
  readonly name: string;
  readonly spec: PluginSpec;
  /** The source directory inside the private working copy: where init and generate run. */
  readonly dir: string;
  /** The source path, repository-relative ('.' or 'a/b'): what errors name. */
  readonly sourcePath: string;
  readonly home: string;
  /** The variables of pluginEnvironment. */
  readonly env: Readonly<Record<string, string>>;
  readonly run: (run: ToolRun) => Promise<ToolOutput>;
}

/**
 * Runs a plugin on a private working copy, as Argo CD's plugin server does: its init command
 * (output ignored), then its generate command, both in the source directory with the plugin's
 * variables; what generate writes to stdout are the source's manifests (YAML or JSON). Each
 * command is found on the sandbox's PATH (the tools' directories, /usr/local/bin, /usr/bin,
 * /bin), or relative to the source directory when it holds a '/'. A command that fails fails
 * the render, with the plugin's name and what it wrote to stderr.
 */
export async function runPlugin(render: PluginRender): Promise<ToolOutputs> {
  const { spec, name } = render;
  const step = (argv: readonly string[], label: string): Promise<ToolOutput> => {
    const [command = '', ...args] = argv;
    return render.run({ tool: 'plugin', command, args, cwd: render.dir, home: render.home, env: render.env, file: render.sourcePath, label });
  };
  if (spec.init !== undefined) {
    const init = await step(spec.init, `plugin ${name} init`);
    if (!init.ok) return { ok: false, errors: [init.error] };
  }
  const generated = await step(spec.generate, `plugin ${name}`);
  if (!generated.ok) return { ok: false, errors: [generated.error] };
  return { ok: true, outputs: [{ text: generated.stdout, file: render.sourcePath, format: 'yaml' }] };
}

/** The source directory in the working copy: the real directory's place under the real root, so no symlink of the path is followed again. */
export function sourceDirInCopy(copyRoot: string, realRoot: string, realDir: string): string {
  const relative = path.relative(realRoot, realDir);
  return relative === '' ? copyRoot : path.join(copyRoot, relative);
}
