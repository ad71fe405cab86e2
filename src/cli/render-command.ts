import type { Command } from 'commander';
import { processIO, type CommandIO } from './output/io.js';
import { addRenderOptions, type RenderCommandFlags } from './render/flags.js';
import { runRender } from './render/run.js';

export { describeRenderError } from './render/run.js';

/**
 * `capstan render PATH` / `capstan render -f APP`: the objects a source (or an app's sources) declares, rendered
 * offline through the controller's manifest renderer (directories, Jsonnet, Kustomize, Helm).
 */
export function registerRenderCommand(program: Command, io: CommandIO = processIO()): void {
  const command = program
    .command('render')
    .description("print the objects a source renders to, as the controller renders them (offline): a directory, or an Application's sources with -f")
    .argument('[path]', 'the source directory (Kustomize, Helm chart, or manifests and Jsonnet)');
  addRenderOptions(command).action(async (given: string | undefined, flags: RenderCommandFlags, self: Command) => {
    if ((given === undefined) === (flags.file === undefined)) self.error('error: give a PATH to render, or -f FILE of an Application (not both)');
    await runRender(given, flags, io);
  });
}
