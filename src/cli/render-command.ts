import path from 'node:path';
import { Option, type Command } from 'commander';
import { renderDirectory } from '../render/directory.js';
import { DEFAULT_MAX_MANIFEST_BYTES, type RenderError } from '../render/types.js';
import { byteSizeArgument } from './byte-size.js';
import { locatedMessage, outputOption, toJson, toYamlDocuments, type OutputFormat } from './output/format.js';
import { processIO, type CommandIO } from './output/io.js';
import { terminalSafe } from './output/terminal-safe.js';

interface RenderFlags {
  recurse?: boolean;
  include?: string;
  exclude?: string;
  maxManifestBytes: number;
  output: OutputFormat;
}

const renderFormats: readonly OutputFormat[] = ['yaml', 'json'];

/** `capstan render PATH`: the objects a directory source declares, rendered offline exactly as the controller does. */
export function registerRenderCommand(program: Command, io: CommandIO = processIO()): void {
  program
    .command('render')
    .description('print the objects a directory of manifests declares, as the controller renders them (offline)')
    .argument('<path>', 'the directory to render')
    .option('--recurse', 'read subdirectories too')
    .option('--include <glob>', 'only files matching this glob, relative to PATH')
    .option('--exclude <glob>', 'skip files matching this glob, relative to PATH (wins over --include)')
    .addOption(new Option('--max-manifest-bytes <size>', 'largest total size of the manifests, as the controller flag of that name')
      .argParser(byteSizeArgument).default(DEFAULT_MAX_MANIFEST_BYTES, '10Mi'))
    .addOption(outputOption(renderFormats))
    .action(async (directory: string, flags: RenderFlags) => {
      await runRender(directory, flags, io);
    });
}

async function runRender(directory: string, flags: RenderFlags, io: CommandIO): Promise<void> {
  const result = await renderDirectory(directory, '.', {
    recurse: flags.recurse ?? false,
    include: flags.include ?? '',
    exclude: flags.exclude ?? '',
    limits: { maxManifestBytes: flags.maxManifestBytes },
  });
  if (!result.ok) {
    for (const error of result.errors) io.err.write(`${terminalSafe(describeRenderError(directory, error))}\n`);
    io.setExitCode(1);
    return;
  }
  if (flags.output === 'json') io.out.write(toJson({ apiVersion: 'v1', kind: 'List', items: result.objects }));
  else io.out.write(toYamlDocuments(result.objects));
}

/** `file:line: message`, the file relative to where the command was run (PATH joined with the file). */
export function describeRenderError(directory: string, error: RenderError): string {
  return locatedMessage(path.join(directory, error.file), error.line, error.message);
}
