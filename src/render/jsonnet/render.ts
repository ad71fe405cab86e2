import { randomUUID } from 'node:crypto';
import { realpath, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { JsonnetOptions } from '../../api/application.js';
import { isMissing, isWithin, normaliseSourcePath } from '../paths.js';
import { quote } from '../quote.js';
import type { ToolSandbox } from '../tools/sandbox.js';
import { MAX_RENDER_ERRORS, type RenderError } from '../types.js';
import { jsonnetArgs, jsonnetDepsArgs, planJsonnet, describeVariable, type JsonnetPlan } from './args.js';
import { importedErrorFiles, importsOutside, realPathOf, searchPathsOutside } from './imports.js';

export interface JsonnetRenderInput {
  /** The render's private working copy of the repository: every run has it as its working directory. */
  readonly copyRoot: string;
  /** The source directory, relative to the repository root ('.' for the root): Argo CD's first library path. */
  readonly sourcePath: string;
  /** The .jsonnet files to evaluate, relative to the repository root with '/' separators, inside copyRoot. */
  readonly files: readonly string[];
  readonly options: JsonnetOptions | undefined;
  /** The home of the render's runs (ToolSandbox.withScratch). */
  readonly home: string;
  /** The build environment `$NAME` in variable values is replaced from (ARGOCD_APP_NAME, ...); see planJsonnet. */
  readonly env?: Readonly<Record<string, string>> | undefined;
}

/** What one file evaluated to: JSON text, for parseManifests(text, file, 'json'). */
export interface JsonnetOutput {
  readonly file: string;
  readonly text: string;
}

export type JsonnetRender = { ok: true; outputs: JsonnetOutput[] } | { ok: false; errors: RenderError[] };

/**
 * Evaluates each .jsonnet file of a directory source with `jsonnet`, as Argo CD does: the
 * source's external variables and top-level arguments, and its libraries and the source
 * directory as library paths. Before a file runs, `jsonnet-deps` lists everything it imports
 * (import, importstr, importbin, through libraries and symlinks), and so does it for each
 * variable given as code: a file importing anything outside the repository is not evaluated
 * (PathEscapesRepository), so no source can read the controller's files. Outputs are in the
 * order of `files`; errors name the file (the source path for errors of the options).
 */
export async function renderJsonnetFiles(sandbox: ToolSandbox, input: JsonnetRenderInput): Promise<JsonnetRender> {
  // As in Argo CD, the options are read only for a source that has a .jsonnet file.
  if (input.files.length === 0) return { ok: true, outputs: [] };
  const source = normaliseSourcePath(input.sourcePath);
  if (!source.ok) return { ok: false, errors: [source.error] };
  const planned = planJsonnet({ sourcePath: source.path, options: input.options, env: input.env });
  if (!planned.ok) return planned;
  const { plan } = planned;
  const realRoot = await realpath(input.copyRoot);
  const run = { sandbox, cwd: input.copyRoot, home: input.home, realRoot, plan };
  const outsideLibs = await searchPathsOutside(plan.searchPaths, realRoot);
  if (outsideLibs.length > 0) {
    return { ok: false, errors: outsideLibs.map((dir) => ({ code: 'PathEscapesRepository', file: source.path, message: `Jsonnet library path ${quote(dir)} resolves to a place outside the repository` })) };
  }
  const codeErrors = await checkCodeVariables(run, source.path);
  if (codeErrors.length > 0) return { ok: false, errors: codeErrors };
  const results = await Promise.all(input.files.map((file) => renderFile(run, file)));
  const errors = results.flatMap((r) => ('errors' in r ? r.errors : []));
  if (errors.length > 0) return { ok: false, errors: errors.slice(0, MAX_RENDER_ERRORS) };
  return { ok: true, outputs: results.flatMap((r) => ('output' in r ? [r.output] : [])) };
}

interface Run {
  readonly sandbox: ToolSandbox;
  readonly cwd: string;
  readonly home: string;
  readonly realRoot: string;
  readonly plan: JsonnetPlan;
}

async function renderFile(run: Run, file: string): Promise<{ output: JsonnetOutput } | { errors: RenderError[] }> {
  const normalised = normaliseSourcePath(file);
  if (!normalised.ok || normalised.path !== file || file === '.') {
    return { errors: [{ code: 'PathEscapesRepository', file, message: 'is not a clean path inside the repository' }] };
  }
  const real = await realpath(path.join(run.realRoot, file)).catch((err: unknown) => {
    if (isMissing(err)) return undefined;
    throw err;
  });
  if (real === undefined) return { errors: [{ code: 'PathNotFound', file, message: 'the file does not exist in the repository' }] };
  if (!isWithin(run.realRoot, real)) return { errors: [{ code: 'PathEscapesRepository', file, message: 'resolves to a place outside the repository' }] };
  const confined = await checkImports(run, file, file, `jsonnet ${file} (reading its imports)`);
  if (confined.length > 0) return { errors: confined };
  const result = await run.sandbox.run({ tool: 'jsonnet', args: jsonnetArgs(run.plan, file), cwd: run.cwd, home: run.home, file, label: `jsonnet ${file}` });
  if (!result.ok) return { errors: [result.error] };
  return { output: { file, text: result.stdout } };
}

/**
 * Runs jsonnet-deps on `target` (relative to the repository root) and says which imports lie
 * outside the repository; errors are of `file`.
 */
async function checkImports(run: Run, target: string, file: string, label: string): Promise<RenderError[]> {
  const deps = await run.sandbox.run({ tool: 'jsonnet-deps', args: jsonnetDepsArgs(run.plan, [target]), cwd: run.cwd, home: run.home, file, label });
  if (!deps.ok) return [await withoutOutsideText(deps.error, label, run)];
  const outside = await importsOutside(deps.stdout, run.realRoot);
  return outside.map((dependency) => ({ code: 'PathEscapesRepository', file, message: `imports ${quote(dependency)}, which is outside the repository` }));
}

/**
 * jsonnet-deps reads every file it is asked to import before it can say where that file is,
 * and a file that is not Jsonnet fails to parse with a message that quotes it ("Unknown
 * variable: hunter2"). Such a message about a file outside the repository is not passed on:
 * the error says the import leads outside, and no more.
 */
async function withoutOutsideText(error: RenderError, label: string, run: Run): Promise<RenderError> {
  const prefix = `${label} exited with code `;
  if (error.code !== 'ToolFailed' || !error.message.startsWith(prefix)) return error;
  const said = error.message.slice(prefix.length).replace(/^\d+: /, '');
  const culprits = importedErrorFiles(said);
  if (culprits === undefined) return error;
  if (culprits.length === 0) return { ...error, message: `${label} failed on an import; what it said is not shown, as it may quote a file outside the repository` };
  const outside = await firstOutside(culprits, run.realRoot);
  if (outside === undefined) return error;
  return { code: 'PathEscapesRepository', file: error.file, message: `imports ${quote(outside)}, which is outside the repository` };
}

/** The real path of the first of `files` (relative to `realRoot`) that lies outside it. */
async function firstOutside(files: readonly string[], realRoot: string): Promise<string | undefined> {
  for (const file of files) {
    const real = await realPathOf(file, realRoot);
    if (!isWithin(realRoot, real) || !isWithin(realRoot, path.resolve(realRoot, file))) return real;
  }
  return undefined;
}

/**
 * Code given as a variable can import too. jsonnet resolves its imports from the working
 * directory and the library paths, as it does for a file in the repository's root; each is
 * written as such a file for jsonnet-deps to read, and removed after.
 */
async function checkCodeVariables(run: Run, sourcePath: string): Promise<RenderError[]> {
  const errors: RenderError[] = [];
  for (const variable of run.plan.variables.filter((v) => v.code)) {
    const name = `.capstan-jsonnet-code-${randomUUID()}.jsonnet`;
    const shown = `<${variable.kind === 'ext' ? 'extvar' : 'top-level-arg'}:${variable.name}>`;
    const written = path.join(run.realRoot, name);
    await writeFile(written, variable.value, { flag: 'wx', mode: 0o600 });
    try {
      const what = `Jsonnet ${describeVariable(variable)} ${quote(variable.name)}`;
      const found = await checkImports(run, name, sourcePath, `jsonnet ${describeVariable(variable)} ${quote(variable.name)} (reading its imports)`);
      errors.push(...found.map((e) => ({ ...e, message: e.code === 'PathEscapesRepository' ? `${what} ${e.message}` : e.message.replaceAll(name, shown) })));
    } finally {
      await rm(written, { force: true });
    }
  }
  return errors;
}
