import path from 'node:path';
import type { JsonnetOptions, JsonnetVar } from '../../api/application.js';
import { quote } from '../quote.js';
import type { RenderError } from '../types.js';
import { expandBuildEnv } from './envsubst.js';

/** An external variable (std.extVar) or a top-level argument, its value expanded: a string, or Jsonnet code. */
export interface JsonnetVariable {
  readonly kind: 'ext' | 'tla';
  readonly name: string;
  readonly value: string;
  readonly code: boolean;
}

/** What every .jsonnet file of one source is evaluated with. */
export interface JsonnetPlan {
  /**
   * Library search directories, relative to the repository root ('.' for the root): the source
   * directory first, then each of `libs`. The last one wins, as in Argo CD (an import is first
   * looked for beside the importing file).
   */
  readonly searchPaths: readonly string[];
  readonly variables: readonly JsonnetVariable[];
}

export interface JsonnetPlanInput {
  /** The source directory, relative to the repository root, normalised ('.' for the root). */
  readonly sourcePath: string;
  readonly options: JsonnetOptions | undefined;
  /**
   * The build environment (ARGOCD_APP_NAME, ...): `$NAME` and `${NAME}` in the values are
   * replaced with it, as Argo CD does; a name it does not hold becomes ''. None: every name is ''.
   */
  readonly env?: Readonly<Record<string, string>> | undefined;
}

export type PlannedJsonnet = { ok: true; plan: JsonnetPlan } | { ok: false; errors: RenderError[] };

/**
 * The search paths and variables of a source's Jsonnet options, or what is wrong with them: a
 * library outside the repository (PathEscapesRepository), a name the jsonnet command line
 * cannot carry (InvalidOption). Errors name the source path. Pure.
 */
export function planJsonnet(input: JsonnetPlanInput): PlannedJsonnet {
  const errors: RenderError[] = [];
  const searchPaths = [input.sourcePath];
  for (const lib of input.options?.libs ?? []) {
    const resolved = libraryPath(lib);
    if (resolved === undefined) {
      errors.push({ code: 'PathEscapesRepository', file: input.sourcePath, message: `Jsonnet library ${quote(lib)} leads outside the repository` });
    } else {
      searchPaths.push(resolved);
    }
  }
  const env = input.env ?? {};
  const variables: JsonnetVariable[] = [];
  const given: Array<[JsonnetVariable['kind'], readonly JsonnetVar[] | undefined]> = [['tla', input.options?.tlas], ['ext', input.options?.extVars]];
  for (const [kind, list] of given) {
    for (const v of list ?? []) {
      const variable: JsonnetVariable = { kind, name: v.name, value: expandBuildEnv(v.value, env), code: v.code === true };
      const wrong = whatIsWrong(variable);
      if (wrong === undefined) variables.push(variable);
      else errors.push({ code: 'InvalidOption', file: input.sourcePath, message: `Jsonnet ${describeVariable(variable)} ${quote(v.name)}: ${wrong}` });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, plan: { searchPaths, variables } };
}

/**
 * A library directory as a normalised repository-relative path, or undefined when it leads
 * outside. As in Argo CD it is relative to the repository root, a leading '/' included.
 */
export function libraryPath(lib: string): string | undefined {
  const normalised = path.posix.normalize(`./${lib.replace(/^\/+/, '')}`).replace(/\/+$/, '');
  if (normalised === '..' || normalised.startsWith('../')) return undefined;
  return normalised === '' ? '.' : normalised;
}

function whatIsWrong(v: JsonnetVariable): string | undefined {
  if (v.name.includes('\0') || v.value.includes('\0')) return 'holds a NUL character';
  if (v.name.includes('=')) return "a name cannot hold '='";
  // The jsonnet command line reads an argument starting with '-' as options, even after --ext-str.
  if (v.name.startsWith('-')) return "a name cannot start with '-'";
  // Code is checked for imports outside the repository as a file in the repository's root, and
  // jsonnet resolves the imports of code from the directory part of "<extvar:NAME>": for a name
  // holding '/' the two differ, and the check would not be of what jsonnet reads.
  if (v.code && v.name.includes('/')) return "the name of a variable given as code cannot hold '/'";
  return undefined;
}

/** 'external variable' or 'top-level argument'. */
export function describeVariable(v: JsonnetVariable): string {
  return v.kind === 'ext' ? 'external variable' : 'top-level argument';
}

const flags = { ext: ['--ext-str', '--ext-code'], tla: ['--tla-str', '--tla-code'] } as const;

/** The search paths as -J arguments, relative to the working directory: the repository's root. */
function searchPathArgs(plan: JsonnetPlan): string[] {
  // './' keeps a directory whose name starts with '-' from being read as options.
  return plan.searchPaths.flatMap((dir) => ['-J', dir === '.' ? '.' : `./${dir}`]);
}

/**
 * The arguments of `jsonnet` evaluating one file, run in the repository's root: each variable
 * as `--ext-str name=value` (or --ext-code, --tla-str, --tla-code) in two arguments, the
 * search paths, then `--` and the file (relative to the repository root).
 */
export function jsonnetArgs(plan: JsonnetPlan, file: string): string[] {
  const variables = plan.variables.flatMap((v) => [flags[v.kind][v.code ? 1 : 0], `${v.name}=${v.value}`]);
  return [...variables, ...searchPathArgs(plan), '--', file];
}

/** The arguments of `jsonnet-deps` listing what `files` import, resolved as `jsonnet` resolves them. */
export function jsonnetDepsArgs(plan: JsonnetPlan, files: readonly string[]): string[] {
  return [...searchPathArgs(plan), '--', ...files];
}
