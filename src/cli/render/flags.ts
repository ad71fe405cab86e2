/** The options of `capstan render`, as commander parses them. */
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { DEFAULT_MAX_MANIFEST_BYTES } from '../../render/types.js';
import { byteSizeArgument } from '../byte-size.js';
import { outputOption, type OutputFormat } from '../output/format.js';
import { collect, collectKeyValue, durationArgument, type KeyValue } from './arguments.js';
import { defaultApiVersions, defaultKubeVersion } from './capabilities.js';
import type { ContextFlags } from './request.js';
import type { SourceFlags } from './source-flags.js';

export interface RenderCommandFlags extends SourceFlags, ContextFlags {
  readonly file?: string;
  readonly repoRoot?: string;
  /** --source-root INDEX=DIR: the checkout of spec.sources[INDEX]. */
  readonly sourceRoot?: readonly KeyValue[];
  /** --plugins FILE: the capstan-config ConfigMap (or its data) whose plugins.<name> keys render sources. */
  readonly plugins?: string;
  readonly cacheDir: string;
  readonly maxManifestBytes: number;
  readonly renderTimeout: number;
  readonly kustomizeAllowRemote: boolean;
  readonly output: OutputFormat;
}

export const renderFormats: readonly OutputFormat[] = ['yaml', 'json'];

export const defaultCacheDir = path.join(tmpdir(), 'capstan-cache');

function keyValue(flags: string, description: string): Option {
  return new Option(flags, `${description} (repeatable)`).argParser(collectKeyValue);
}

function repeated(flags: string, description: string): Option {
  return new Option(flags, `${description} (repeatable)`).argParser(collect);
}

const sourceOptions: readonly Option[] = [
  new Option('-f, --file <file>', "render the sources of this Application (capstan.dev or argoproj.io; '-' reads stdin) instead of PATH"),
  new Option('--repo-root <dir>', "the repository root, copied for Kustomize, Helm and Jsonnet to run on: PATH is relative to it; for -f, a checkout of the app's repository (default: the git work tree PATH is in, else PATH; for -f, a local repoURL)"),
  keyValue('--source-root <index=dir>', "-f: a checkout of the repository of spec.sources[INDEX] (default: a local repoURL; --repo-root is that of the first source)"),
  new Option('--plugins <file>', 'the config management plugins of this capstan-config ConfigMap (or of its data, as YAML): its plugins.<name> keys'),
  new Option('--cache-dir <dir>', 'where charts of chart repositories are kept (-f with spec.source.chart)').default(defaultCacheDir),
  new Option('--recurse', 'directory: read subdirectories too'),
  new Option('--include <glob>', 'directory: only files matching this glob, relative to the source directory'),
  new Option('--exclude <glob>', 'directory: skip files matching this glob (wins over --include)'),
  keyValue('--jsonnet-tla <name=value>', 'jsonnet: a top-level argument, as a string'),
  keyValue('--jsonnet-tla-code <name=code>', 'jsonnet: a top-level argument, as Jsonnet code'),
  keyValue('--jsonnet-ext-str <name=value>', 'jsonnet: an external variable, as a string'),
  keyValue('--jsonnet-ext-code <name=code>', 'jsonnet: an external variable, as Jsonnet code'),
  repeated('--jsonnet-lib <dir>', 'jsonnet: a library directory, relative to the repository root'),
  repeated('--kustomize-image <image>', 'kustomize: an image override (name=newName:tag, name:tag, name@digest)'),
  new Option('--kustomize-name-prefix <prefix>', 'kustomize: a prefix for every name'),
  new Option('--kustomize-namespace <namespace>', 'kustomize: the namespace of every object'),
  repeated('--helm-values <file>', 'helm: a values file, relative to the chart (/ for the repository root)'),
  keyValue('--helm-set <name=value>', 'helm: a parameter (--set)'),
  keyValue('--helm-set-string <name=value>', 'helm: a parameter kept a string (--set-string)'),
  new Option('--helm-release <name>', "helm: the release name (default: helm.releaseName, the app's name, or the directory's name)"),
  new Option('--namespace <namespace>', "helm: the namespace released into (default: helm.namespace, the app's destination namespace, or default)"),
  new Option('--kube-version <version>', `helm: the Kubernetes version templates see (default: helm.kubeVersion, else ${defaultKubeVersion})`),
  repeated('--api-versions <version>', 'helm: an API version templates see (default: helm.apiVersions, else those below)'),
];

const renderOptions: readonly Option[] = [
  new Option('--max-manifest-bytes <size>', 'largest total size of the manifests, as the controller flag of that name').argParser(byteSizeArgument).default(DEFAULT_MAX_MANIFEST_BYTES, '10Mi'),
  new Option('--render-timeout <duration>', 'a render tool running longer is stopped, as the controller flag of that name').argParser(durationArgument).default(90_000, '90s'),
  new Option('--kustomize-allow-remote', 'let kustomizations refer to remote bases (fetched without credentials), as the controller flag of that name').default(false),
];

/** Words joined into lines of at most `width` characters. */
function wrap(words: readonly string[], width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, line].join('\n');
}

const helpAfter = `
The source type is found as the controller finds it: options of one type name it (the file's, or
these flags'), else a kustomization means Kustomize, a Chart.yaml Helm, and anything else a
directory of manifests (its .jsonnet files evaluated). Kustomize, Helm and Jsonnet run from
CAPSTAN_TOOLS_DIR, else PATH; with --plugins, a config management plugin renders a source that
names it (source.plugin) or that its discover rule matches. Nothing is fetched but a chart of a
chart repository (-f with a chart source, at its targetRevision); a Git source is rendered from
the tree as it is. With spec.sources each source is rendered (a source with only a ref lends its
tree to $ref/ values files) and the objects of all are printed together.

With no cluster to ask, Helm templates see Kubernetes ${defaultKubeVersion} serving
${wrap(defaultApiVersions.map((v, i) => (i === defaultApiVersions.length - 1 ? `${v}.` : `${v},`)), 96)}`;

/** Adds the options of `capstan render` to its command. */
export function addRenderOptions(command: Command): Command {
  for (const option of [...sourceOptions, ...renderOptions]) command.addOption(option);
  return command.addOption(outputOption(renderFormats)).addHelpText('after', helpAfter);
}
