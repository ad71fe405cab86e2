import type { PluginParameter, PluginSource } from '../../api/plugin-source.js';
import { expandBuildEnv } from '../jsonnet/envsubst.js';

export interface PluginEnvInput {
  /** Argo CD's build environment of the app (ARGOCD_APP_NAME, ARGOCD_APP_REVISION, …). */
  readonly buildEnv: Readonly<Record<string, string>>;
  /** The app's `source.plugin`, if it sets one. */
  readonly plugin?: PluginSource | undefined;
  /** The destination's Kubernetes version (`v1.35.0`): KUBE_VERSION is it without the `v`, as Argo CD gives it. */
  readonly kubeVersion?: string;
  readonly apiVersions?: readonly string[];
}

/**
 * The variables a plugin's commands get, as Argo CD gives them: the build environment,
 * KUBE_VERSION and KUBE_API_VERSIONS, each `source.plugin.env` entry as `ARGOCD_ENV_<name>`
 * (its value's `$NAME` expanded from the variables before it), and, when the app sets
 * `source.plugin`, its parameters as ARGOCD_APP_PARAMETERS (JSON; `null` when there are none)
 * and as PARAM_<NAME>… variables. Every name an app sets is prefixed, so it cannot change PATH
 * or HOME. Pure.
 */
export function pluginEnvironment(input: PluginEnvInput): Record<string, string> {
  const env: Record<string, string> = { ...input.buildEnv };
  if (input.kubeVersion !== undefined) env.KUBE_VERSION = input.kubeVersion.replace(/^v/, '');
  if (input.apiVersions !== undefined) env.KUBE_API_VERSIONS = input.apiVersions.join(',');
  const { plugin } = input;
  if (plugin === undefined) return env;
  const base = { ...env };
  for (const entry of plugin.env ?? []) env[`ARGOCD_ENV_${entry.name}`] = expandBuildEnv(entry.value, base);
  return { ...env, ...parameterEnvironment(plugin.parameters) };
}

/** ARGOCD_APP_PARAMETERS and the PARAM_ variables of the parameters (Argo CD's ApplicationSourcePluginParameters.Environ). */
export function parameterEnvironment(parameters: readonly PluginParameter[] | undefined): Record<string, string> {
  const env: Record<string, string> = { ARGOCD_APP_PARAMETERS: parametersJson(parameters) };
  for (const p of parameters ?? []) {
    const name = `PARAM_${escaped(p.name)}`;
    if (p.string !== undefined) env[name] = p.string;
    for (const [key, value] of Object.entries(p.map ?? {})) env[`${name}_${escaped(key)}`] = value;
    (p.array ?? []).forEach((value, i) => { env[`${name}_${i}`] = value; });
  }
  return env;
}

/** The parameters as Go's encoding/json writes Argo CD's: keys in byte order, `<`, `>` and `&` escaped. */
export function parametersJson(parameters: readonly PluginParameter[] | undefined): string {
  if (parameters === undefined) return 'null';
  const objects = parameters.map((p) => ({
    ...(p.array === undefined ? {} : { array: p.array }),
    ...(p.map === undefined ? {} : { map: Object.fromEntries(Object.entries(p.map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) }),
    name: p.name,
    ...(p.string === undefined ? {} : { string: p.string }),
  }));
  return JSON.stringify(objects).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A parameter name as a variable name: upper case, anything but A-Z, 0-9 and _ as _. */
function escaped(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}
