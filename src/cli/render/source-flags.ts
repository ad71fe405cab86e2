/** The command-line flags of `capstan render` that set a source's options, laid over the options an Application gives (pure). */
import path from 'node:path';
import type { ApplicationSource, DirectorySource, HelmSource, JsonnetOptions, JsonnetVar, KustomizeSource } from '../../api/application.js';
import type { KeyValue } from './arguments.js';

/** What is rendered of a source: its path and options (a chart names the chart of a chart repository). */
export type RenderSource = Pick<ApplicationSource, 'path' | 'directory' | 'kustomize' | 'helm' | 'chart' | 'plugin'>;

/** The flags, as commander gives them (repeatable flags as lists, possibly empty). */
export interface SourceFlags {
  readonly recurse?: boolean | undefined;
  readonly include?: string | undefined;
  readonly exclude?: string | undefined;
  readonly helmValues?: readonly string[];
  readonly helmSet?: readonly KeyValue[];
  readonly helmSetString?: readonly KeyValue[];
  readonly kubeVersion?: string | undefined;
  readonly apiVersions?: readonly string[];
  readonly kustomizeImage?: readonly string[];
  readonly kustomizeNamePrefix?: string | undefined;
  readonly kustomizeNamespace?: string | undefined;
  readonly jsonnetTla?: readonly KeyValue[];
  readonly jsonnetTlaCode?: readonly KeyValue[];
  readonly jsonnetExtStr?: readonly KeyValue[];
  readonly jsonnetExtCode?: readonly KeyValue[];
  readonly jsonnetLib?: readonly string[];
}

type TypedOption = 'directory' | 'kustomize' | 'helm' | 'plugin';

const typedFlags: readonly (readonly [keyof SourceFlags, string, TypedOption])[] = [
  ['recurse', '--recurse', 'directory'], ['include', '--include', 'directory'], ['exclude', '--exclude', 'directory'],
  ['jsonnetTla', '--jsonnet-tla', 'directory'], ['jsonnetTlaCode', '--jsonnet-tla-code', 'directory'],
  ['jsonnetExtStr', '--jsonnet-ext-str', 'directory'], ['jsonnetExtCode', '--jsonnet-ext-code', 'directory'], ['jsonnetLib', '--jsonnet-lib', 'directory'],
  ['kustomizeImage', '--kustomize-image', 'kustomize'], ['kustomizeNamePrefix', '--kustomize-name-prefix', 'kustomize'], ['kustomizeNamespace', '--kustomize-namespace', 'kustomize'],
  ['helmValues', '--helm-values', 'helm'], ['helmSet', '--helm-set', 'helm'], ['helmSetString', '--helm-set-string', 'helm'],
];

function given(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== undefined;
}

/** The flags given that set a source's options (not those of the release or the cluster), as written. */
export function sourceOptionFlags(flags: SourceFlags): string[] {
  return typedFlags.filter(([key]) => given(flags[key])).map(([, flag]) => flag);
}

/**
 * The source types the options name, each with where it is named (`at`, the source in the
 * file): a flag names the type whose options it sets (--kube-version, --api-versions,
 * --helm-release and --namespace name none).
 */
function namedTypes(source: RenderSource, flags: SourceFlags, at: string): Map<TypedOption, string> {
  const named = new Map<TypedOption, string>();
  if (source.chart !== undefined) named.set('helm', `${at}.chart`);
  if (source.helm !== undefined) named.set('helm', `${at}.helm`);
  if (source.kustomize !== undefined) named.set('kustomize', `${at}.kustomize`);
  if (source.directory !== undefined && Object.keys(source.directory).length > 0) named.set('directory', `${at}.directory`);
  if (source.plugin !== undefined) named.set('plugin', `${at}.plugin`);
  for (const [key, flag, type] of typedFlags) if (given(flags[key]) && !named.has(type)) named.set(type, flag);
  return named;
}

/** Why the options cannot be rendered together (they name more than one source type), or undefined. */
export function sourceTypeConflict(source: RenderSource, flags: SourceFlags, at = 'spec.source'): string | undefined {
  const named = namedTypes(source, flags, at);
  if (named.size <= 1) return undefined;
  const list = [...named].map(([type, where]) => `${type} (${where})`).join(', ');
  return `the options name more than one source type: ${list}; use the options of one`;
}

/** An absolute path inside the repository as a path from its root; anything else as it is. */
function inRepo(repoRoot: string, file: string, rooted: boolean): string {
  if (repoRoot === '' || !path.isAbsolute(file)) return file;
  const relative = path.relative(repoRoot, file);
  if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return file;
  const posix = relative.split(path.sep).join('/');
  return rooted ? `/${posix}` : posix;
}

/** Variables of the file, with those of the flags replacing the same name (and the rest added). */
function mergeVars(existing: readonly JsonnetVar[] | undefined, strings: readonly KeyValue[], code: readonly KeyValue[]): JsonnetVar[] | undefined {
  const added: JsonnetVar[] = [...strings.map((kv) => ({ name: kv.name, value: kv.value })), ...code.map((kv) => ({ name: kv.name, value: kv.value, code: true }))];
  if (added.length === 0) return existing === undefined ? undefined : [...existing];
  const names = new Set(added.map((v) => v.name));
  return [...(existing ?? []).filter((v) => !names.has(v.name)), ...added];
}

function withDirectory(directory: DirectorySource | undefined, flags: SourceFlags, repoRoot: string): DirectorySource | undefined {
  const typed = typedFlags.some(([key, , type]) => type === 'directory' && given(flags[key]));
  if (!typed) return directory;
  const jsonnet: JsonnetOptions = { ...directory?.jsonnet };
  const tlas = mergeVars(jsonnet.tlas, flags.jsonnetTla ?? [], flags.jsonnetTlaCode ?? []);
  const extVars = mergeVars(jsonnet.extVars, flags.jsonnetExtStr ?? [], flags.jsonnetExtCode ?? []);
  const libs = [...(jsonnet.libs ?? []), ...(flags.jsonnetLib ?? []).map((lib) => inRepo(repoRoot, lib, false))];
  const merged: DirectorySource = {
    ...directory,
    ...(flags.recurse === undefined ? {} : { recurse: flags.recurse }),
    ...(flags.include === undefined ? {} : { include: flags.include }),
    ...(flags.exclude === undefined ? {} : { exclude: flags.exclude }),
  };
  const options: JsonnetOptions = { ...(extVars === undefined ? {} : { extVars }), ...(tlas === undefined ? {} : { tlas }), ...(libs.length === 0 ? {} : { libs }) };
  return Object.keys(options).length === 0 ? merged : { ...merged, jsonnet: options };
}

function withKustomize(kustomize: KustomizeSource | undefined, flags: SourceFlags): KustomizeSource | undefined {
  const images = flags.kustomizeImage ?? [];
  if (images.length === 0 && flags.kustomizeNamePrefix === undefined && flags.kustomizeNamespace === undefined) return kustomize;
  return {
    ...kustomize,
    ...(images.length === 0 ? {} : { images: [...(kustomize?.images ?? []), ...images] }),
    ...(flags.kustomizeNamePrefix === undefined ? {} : { namePrefix: flags.kustomizeNamePrefix }),
    ...(flags.kustomizeNamespace === undefined ? {} : { namespace: flags.kustomizeNamespace }),
  };
}

function withHelm(helm: HelmSource | undefined, flags: SourceFlags, repoRoot: string): HelmSource | undefined {
  const valueFiles = (flags.helmValues ?? []).map((file) => inRepo(repoRoot, file, true));
  const parameters = [...(flags.helmSet ?? []).map((kv) => ({ name: kv.name, value: kv.value })), ...(flags.helmSetString ?? []).map((kv) => ({ name: kv.name, value: kv.value, forceString: true }))];
  // The capabilities flags replace the app's own only where it has them: elsewhere they are the cluster's.
  const capabilities: HelmSource = {
    ...(flags.kubeVersion !== undefined && helm?.kubeVersion !== undefined ? { kubeVersion: flags.kubeVersion } : {}),
    ...(given(flags.apiVersions) && helm?.apiVersions !== undefined ? { apiVersions: [...(flags.apiVersions ?? [])] } : {}),
  };
  if (valueFiles.length === 0 && parameters.length === 0) return helm === undefined ? undefined : { ...helm, ...capabilities };
  return {
    ...helm,
    ...capabilities,
    ...(valueFiles.length === 0 ? {} : { valueFiles: [...(helm?.valueFiles ?? []), ...valueFiles] }),
    ...(parameters.length === 0 ? {} : { parameters: [...(helm?.parameters ?? []), ...parameters] }),
  };
}

/**
 * The source with the flags' options laid over its own: lists are extended (values files,
 * parameters, image overrides, libraries), single values and Jsonnet variables of the same name
 * replaced. A flag path that is absolute and inside `repoRoot` (real, absolute; '' for a chart)
 * is made a path from the repository root, as the source's own are written.
 */
export function sourceWithFlags(source: RenderSource, flags: SourceFlags, repoRoot: string): RenderSource {
  const directory = withDirectory(source.directory, flags, repoRoot);
  const kustomize = withKustomize(source.kustomize, flags);
  const helm = withHelm(source.helm, flags, repoRoot);
  return {
    ...source,
    ...(directory === undefined ? {} : { directory }),
    ...(kustomize === undefined ? {} : { kustomize }),
    ...(helm === undefined ? {} : { helm }),
  };
}
