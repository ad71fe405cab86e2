import { CORE_SCHEMA, load } from 'js-yaml';
import { stringify } from 'safe-stable-stringify';
import { isRecord } from '../../api/object.js';

/** How a plugin is found for a source that does not name it: a glob matched in the source directory. */
export type PluginDiscovery =
  /** Go's filepath.Glob: `*`, `?` and `[…]` within one path segment (`sub/*.yaml` looks one level down). */
  | { readonly fileName: string }
  /** Like fileName, and `**` matches any number of directories (Argo CD's discover.find.glob). */
  | { readonly glob: string };

/** A config management plugin of capstan-config: the commands that render a source. */
export interface PluginSpec {
  /** The command and its arguments; what it writes to stdout (YAML or JSON) are the source's manifests. */
  readonly generate: readonly string[];
  /** Run before generate, in the same directory; its output is ignored, a failure fails the render. */
  readonly init?: readonly string[];
  /** Without it the plugin is used only by apps that name it. */
  readonly discover?: PluginDiscovery;
}

/** The plugins of capstan-config, by name; plugins whose key has problems are kept aside with them. */
export class PluginSet {
  static readonly none = new PluginSet(new Map(), new Map());

  /** The same text for the same plugins: what a render's cache key depends on ('' for none). */
  readonly key: string;

  constructor(
    private readonly plugins: ReadonlyMap<string, PluginSpec>,
    private readonly refused: ReadonlyMap<string, string>,
  ) {
    const sorted = <T>(m: ReadonlyMap<string, T>): [string, T][] => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    this.key = plugins.size === 0 && refused.size === 0 ? '' : stringify({ plugins: sorted(plugins), refused: sorted(refused) }) ?? '';
  }

  get(name: string): PluginSpec | undefined {
    return this.plugins.get(name);
  }

  /** Why the plugin of that name cannot be used, if capstan-config has one that is wrong. */
  refusal(name: string): string | undefined {
    return this.refused.get(name);
  }

  /** The names of the usable plugins, in byte order (the order discovery tries them in). */
  get names(): string[] {
    return [...this.plugins.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  get size(): number {
    return this.plugins.size;
  }
}

export interface ParsedPluginConfig {
  readonly plugins: PluginSet;
  /** Keys that are wrong, one sentence each; a plugin with a problem is not used. */
  readonly problems: string[];
}

const prefix = 'plugins';
/** Fields of Argo CD's ConfigManagementPlugin spec that do not change what Capstan renders. */
const noEffect = new Set(['parameters', 'preserveFileMode']);
const known = new Set(['generate', 'init', 'discover', 'provideGitCreds', ...noEffect]);

/**
 * The config management plugins of capstan-config's data: each `plugins.<name>` key holds YAML,
 * `{generate: [command, args...], init?: [command, args...], discover?: {fileName: glob}}`.
 * Argo CD's shape is read too (`generate: {command: [...], args: [...]}`, `discover.find.glob`,
 * and a whole ConfigManagementPlugin with its spec); its parameter announcements only inform
 * Argo CD's UI, so they are accepted and have no effect. Capstan's working copy keeps file modes
 * (preserveFileMode true). Pure.
 */
export function parsePluginConfig(data: Readonly<Record<string, string>>): ParsedPluginConfig {
  const plugins = new Map<string, PluginSpec>();
  const refused = new Map<string, string>();
  const problems: string[] = [];
  for (const [key, text] of Object.entries(data).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (key !== prefix && !key.startsWith(`${prefix}.`)) continue;
    const name = key.slice(prefix.length + 1);
    if (name === '') {
      problems.push(`${key}: expected ${prefix}.<name>, one key for each plugin`);
      continue;
    }
    const parsed = parsePlugin(text);
    if (typeof parsed === 'string') {
      problems.push(`${key}: ${parsed}`);
      refused.set(name, parsed);
    } else {
      plugins.set(name, parsed);
    }
  }
  return { plugins: new PluginSet(plugins, refused), problems };
}

/** One plugin's YAML: its spec, or what is wrong with it (the first problem, or all its fields' problems joined). */
function parsePlugin(text: string): PluginSpec | string {
  let doc: unknown;
  try {
    doc = load(text, { schema: CORE_SCHEMA });
  } catch (err) {
    return `not YAML (${err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err)})`;
  }
  if (isRecord(doc) && doc.kind === 'ConfigManagementPlugin') {
    if (doc.apiVersion !== 'argoproj.io/v1alpha1') return 'a ConfigManagementPlugin must have apiVersion argoproj.io/v1alpha1';
    doc = doc.spec;
  }
  if (!isRecord(doc)) return 'expected a mapping with generate (the command and its arguments)';
  const problems: string[] = [];
  for (const field of Object.keys(doc)) if (!known.has(field)) problems.push(`${field} is not a field of a plugin (generate, init, discover)`);
  if (doc.provideGitCreds !== undefined && doc.provideGitCreds !== false) problems.push('provideGitCreds: Capstan gives plugins no Git credentials');
  if (doc.preserveFileMode !== undefined && typeof doc.preserveFileMode !== 'boolean') problems.push('preserveFileMode must be true or false');
  const generate = command(doc.generate, 'generate', problems);
  if (generate === undefined && doc.generate === undefined) problems.push('generate is required: the command that writes the manifests, and its arguments');
  if (generate !== undefined && generate.length === 0) problems.push('generate has no command');
  const init = doc.init === undefined || doc.init === null ? undefined : command(doc.init, 'init', problems);
  const discover = discovery(doc.discover, problems);
  if (problems.length > 0 || generate === undefined) return problems.join('; ');
  return { generate, ...(init === undefined || init.length === 0 ? {} : { init }), ...(discover === undefined ? {} : { discover }) };
}

/** A command: `[command, args...]`, or Argo CD's `{command: [...], args: [...]}`; undefined when wrong (said in problems). */
function command(value: unknown, field: string, problems: string[]): string[] | undefined {
  if (value === undefined) return undefined;
  if (isRecord(value)) {
    const extra = Object.keys(value).filter((k) => k !== 'command' && k !== 'args');
    if (extra.length > 0) problems.push(`${field}.${extra[0] ?? ''} is not a field of a command (command, args)`);
    const cmd = strings(value.command ?? [], `${field}.command`, problems);
    const args = strings(value.args ?? [], `${field}.args`, problems);
    if (cmd === undefined || args === undefined) return undefined;
    if (cmd.length === 0 && args.length > 0) problems.push(`${field}.command is empty: args need a command`);
    return startsWithCommand(cmd.length === 0 ? [] : [...cmd, ...args], field, problems);
  }
  const list = strings(value, field, problems);
  return list === undefined ? undefined : startsWithCommand(list, field, problems);
}

function startsWithCommand(list: string[], field: string, problems: string[]): string[] | undefined {
  if (list.length > 0 && list[0]?.trim() === '') {
    problems.push(`${field}: the command is an empty string`);
    return undefined;
  }
  return list;
}

function strings(value: unknown, field: string, problems: string[]): string[] | undefined {
  if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) return value;
  problems.push(`${field} must be a list of strings (the command, then its arguments)`);
  return undefined;
}

function discovery(value: unknown, problems: string[]): PluginDiscovery | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) {
    problems.push('discover must be a mapping (fileName: a glob)');
    return undefined;
  }
  const found: PluginDiscovery[] = [];
  for (const [field, v] of Object.entries(value)) {
    if (field === 'fileName') {
      const glob = pattern(v, 'discover.fileName', problems);
      if (glob !== undefined) found.push({ fileName: glob });
    } else if (field === 'find' && isRecord(v)) {
      for (const [f, w] of Object.entries(v)) {
        if (f === 'glob') {
          const glob = pattern(w, 'discover.find.glob', problems);
          if (glob !== undefined) found.push({ glob });
        } else if (f === 'command') {
          problems.push('discover.find.command: Capstan does not run commands to discover plugins; use discover.fileName or discover.find.glob');
        } else {
          problems.push(`discover.find.${f} is not a field of discover.find (glob)`);
        }
      }
    } else if (field === 'find') {
      problems.push('discover.find must be a mapping (glob: a pattern)');
    } else {
      problems.push(`discover.${field} is not a field of discover (fileName, find.glob)`);
    }
  }
  if (found.length > 1) problems.push('discover sets both fileName and find.glob; set one of them');
  return found[0];
}

/** A glob relative to the source directory ('./' dropped); undefined when wrong (said in problems). */
function pattern(value: unknown, field: string, problems: string[]): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push(`${field} must be a glob of file names in the source directory`);
    return undefined;
  }
  const normalised = value.replace(/^(\.\/)+/, '');
  if (normalised.startsWith('/') || normalised.split('/').includes('..')) {
    problems.push(`${field} ${JSON.stringify(value)} must stay inside the source directory`);
    return undefined;
  }
  return normalised;
}
