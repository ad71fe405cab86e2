import { readdir, readFile, realpath, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import type { HelmSource } from '../../api/application.js';
import { isRecord } from '../../api/object.js';
import type { ToolOutputs } from '../tools/outputs.js';
import type { ToolOutput, ToolRun } from '../tools/sandbox.js';
import type { RenderError } from '../types.js';
import { helmTemplateArgs, inlineValues } from './args.js';
import { chartDependencies, type ChartDependency } from './dependencies.js';
import { resolveRepoFile } from './value-files.js';
import { parseValueRef } from '../../api/value-refs.js';

/** What the render of a Helm chart knows of the destination and the app. */
export interface HelmContext {
  readonly releaseName: string;
  readonly namespace: string;
  /** The destination's version and API versions (asked only when the options do not give them). */
  readonly capabilities: () => Promise<{ readonly kubeVersion: string; readonly apiVersions: readonly string[] }>;
}

export interface HelmBuild extends HelmContext {
  /** The checked-out tree, read-only: values files are checked against it. */
  readonly repoRoot: string;
  /** Trees of other sources by ref, for values files named `$<ref>/path`. */
  readonly refs: Readonly<Record<string, string>>;
  /** The private working copy of it, where helm runs. */
  readonly copyRoot: string;
  /** The chart directory, normalised ('.' or 'a/b'). */
  readonly sourcePath: string;
  readonly options: HelmSource;
  /** A private directory for files of this render (the inline values). */
  readonly scratch: string;
  readonly home: string;
  readonly run: (run: ToolRun) => Promise<ToolOutput>;
}

function invalid(file: string, message: string): ToolOutputs {
  return { ok: false, errors: [{ code: 'InvalidOption', file, message }] };
}

/** The values files and file parameters, each checked to be a file of the repository. */
async function repoFiles(input: HelmBuild): Promise<{ ok: true; valueFiles: string[]; fileParameters: { name: string; path: string }[] } | { ok: false; errors: RenderError[] }> {
  const valueFiles: string[] = [];
  const errors: RenderError[] = [];
  for (const name of input.options.valueFiles ?? []) {
    const ref = parseValueRef(name);
    const refRoot = ref === undefined ? undefined : input.refs[ref.ref];
    if (ref !== undefined && refRoot === undefined) {
      errors.push({ code: 'InvalidOption', file: input.sourcePath, message: `valueFiles "${name}" names $${ref.ref}, but no source has ref: ${ref.ref}` });
      continue;
    }
    const found = ref === undefined || refRoot === undefined
      ? await resolveRepoFile(input.repoRoot, input.sourcePath, name, 'valueFiles')
      : await resolveRepoFile(refRoot, '.', ref.path, `valueFiles $${ref.ref}`);
    // A values file of another source is read where that source is checked out (read-only).
    if (found.ok === true) valueFiles.push(refRoot === undefined ? found.path : path.join(await realpath(refRoot), found.path));
    else if (found.ok === false) errors.push(found.error);
    else if (input.options.ignoreMissingValueFiles !== true) {
      errors.push({ code: 'InvalidOption', file: path.posix.join(input.sourcePath, name), message: `valueFiles "${name}" does not exist in the repository (set ignoreMissingValueFiles to go on without it)` });
    }
  }
  const fileParameters: { name: string; path: string }[] = [];
  for (const p of input.options.fileParameters ?? []) {
    const found = await resolveRepoFile(input.repoRoot, input.sourcePath, p.path, `fileParameters ${p.name}`);
    if (found.ok === true) fileParameters.push({ name: p.name, path: found.path });
    else if (found.ok === false) errors.push(found.error);
    else errors.push({ code: 'InvalidOption', file: path.posix.join(input.sourcePath, p.path), message: `fileParameters ${p.name}: "${p.path}" does not exist in the repository` });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, valueFiles, fileParameters };
}

/** Writes the inline values to a file of the scratch directory, after checking they are a YAML mapping. */
async function writeInlineValues(input: HelmBuild): Promise<{ ok: true; file: string | undefined } | { ok: false; message: string }> {
  const text = inlineValues(input.options);
  if (text === undefined) return { ok: true, file: undefined };
  let parsed: unknown;
  try {
    parsed = yaml.load(text, { json: true });
  } catch (err) {
    return { ok: false, message: `helm.values is not valid YAML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
  }
  if (parsed !== null && parsed !== undefined && !isRecord(parsed)) return { ok: false, message: 'helm.values must be a mapping of values' };
  const file = path.join(input.scratch, 'inline-values.yaml');
  await writeFile(file, text, { mode: 0o600 });
  return { ok: true, file };
}

/** The Kubernetes and API versions the templates see: the options' own, else the destination's. */
async function templateCapabilities(input: HelmBuild): Promise<{ kubeVersion: string | undefined; apiVersions: readonly string[] }> {
  const given = input.options;
  if (given.kubeVersion !== undefined && given.apiVersions !== undefined) return { kubeVersion: given.kubeVersion, apiVersions: given.apiVersions };
  const cluster = await input.capabilities();
  return { kubeVersion: given.kubeVersion ?? cluster.kubeVersion, apiVersions: given.apiVersions ?? cluster.apiVersions };
}

/** Is a declared dependency not in the chart's charts/ directory (as a directory or an archive)? Then it must be built. */
async function missingDependencies(chartDir: string, deps: readonly ChartDependency[]): Promise<boolean> {
  if (deps.length === 0) return false;
  const present = await readdir(path.join(chartDir, 'charts')).catch(() => [] as string[]);
  return deps.some((d) => !present.some((entry) => entry === d.name || entry === d.dirName || (entry.startsWith(`${d.name}-`) && entry.endsWith('.tgz'))));
}

/**
 * `helm template` of a chart directory of the repository, with the app's values and
 * parameters; chart dependencies are built first (helm dependency build) from the chart's
 * own `charts/` or the repositories Chart.yaml declares.
 */
export async function buildHelmChart(input: HelmBuild): Promise<ToolOutputs> {
  const chartDir = path.join(input.copyRoot, input.sourcePath);
  const chartFile = path.join(chartDir, 'Chart.yaml');
  if (!(await stat(chartFile).then((s) => s.isFile(), () => false))) return invalid(input.sourcePath, `source.helm is set, but '${input.sourcePath}' has no Chart.yaml`);
  const files = await repoFiles(input);
  if (!files.ok) return files;
  const values = await writeInlineValues(input);
  if (!values.ok) return invalid(input.sourcePath, values.message);
  const deps = chartDependencies(await readFile(chartFile, 'utf8'), input.sourcePath);
  if (!deps.ok) return { ok: false, errors: [deps.error] };
  if (await missingDependencies(chartDir, deps.dependencies)) {
    const built = await input.run({ tool: 'helm', label: 'helm dependency build', args: ['dependency', 'build', input.sourcePath, ...deps.flags], cwd: input.copyRoot, home: input.home, file: input.sourcePath });
    if (!built.ok) return { ok: false, errors: [built.error] };
  }
  const { kubeVersion, apiVersions } = await templateCapabilities(input);
  const args = helmTemplateArgs(input.options, {
    releaseName: input.releaseName, namespace: input.namespace, kubeVersion, apiVersions,
    chart: input.sourcePath, valueFiles: files.valueFiles, valuesFile: values.file, fileParameters: files.fileParameters,
  });
  const rendered = await input.run({ tool: 'helm', label: 'helm template', args, cwd: input.copyRoot, home: input.home, file: input.sourcePath });
  if (!rendered.ok) return { ok: false, errors: [rendered.error] };
  return { ok: true, outputs: [{ text: rendered.stdout, file: input.sourcePath, format: 'yaml' }] };
}
