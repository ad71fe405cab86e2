import type { HelmSource } from '../../api/application.js';

/** What `helm template` needs besides the app's helm options. */
export interface HelmTemplateInput {
  /** The chart: a directory or an archive, as helm is to read it (relative to the working directory, or absolute). */
  readonly chart: string;
  readonly releaseName: string;
  readonly namespace: string;
  /** The Kubernetes version templates see (`.Capabilities.KubeVersion`). */
  readonly kubeVersion?: string | undefined;
  /** API versions templates see (`.Capabilities.APIVersions`): group/version and group/version/Kind. */
  readonly apiVersions: readonly string[];
  /** Values files, already checked and resolved. */
  readonly valueFiles: readonly string[];
  /** A file holding `values` / `valuesObject`, after the values files. */
  readonly valuesFile?: string | undefined;
  /** File parameters, already checked and resolved: name → file. */
  readonly fileParameters: readonly { name: string; path: string }[];
}

/**
 * Escapes the commas of a --set value, so helm takes `a,b` as one value (Argo CD does the same);
 * a `{a,b}` list and commas already escaped are left as they are.
 */
export function escapeSetValue(value: string): string {
  if (value.startsWith('{') && value.endsWith('}')) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value.charAt(i);
    if (ch === ',' && (i === 0 || value.charAt(i - 1) !== '\\')) out += '\\,';
    else out += ch;
  }
  return out;
}

/**
 * The argv of `helm template` for a chart, in Argo CD's order: values files, then the inline
 * values, then parameters (later wins). CRDs are included unless skipCrds; nothing in it lets
 * helm reach the API server.
 */
export function helmTemplateArgs(options: HelmSource, input: HelmTemplateInput): string[] {
  const args = ['template', input.releaseName, input.chart, '--namespace', input.namespace];
  if (input.kubeVersion !== undefined && input.kubeVersion !== '') args.push('--kube-version', input.kubeVersion);
  for (const v of input.apiVersions) args.push('--api-versions', v);
  if (options.skipCrds === true) args.push('--skip-crds');
  else args.push('--include-crds');
  if (options.skipTests === true) args.push('--skip-tests');
  if (options.skipSchemaValidation === true) args.push('--skip-schema-validation');
  for (const file of input.valueFiles) args.push('--values', file);
  if (input.valuesFile !== undefined) args.push('--values', input.valuesFile);
  for (const p of options.parameters ?? []) args.push(p.forceString === true ? '--set-string' : '--set', `${p.name}=${escapeSetValue(p.value)}`);
  for (const p of input.fileParameters) args.push('--set-file', `${p.name}=${p.path}`);
  return args;
}

/** The inline values as YAML text: valuesObject when set (it replaces `values`, as in Argo CD), else `values`. */
export function inlineValues(options: HelmSource): string | undefined {
  if (options.valuesObject !== undefined) return JSON.stringify(options.valuesObject);
  if (options.values !== undefined && options.values.trim() !== '') return options.values;
  return undefined;
}
