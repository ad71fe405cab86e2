/** A variable of a plugin's environment: given to its commands as `ARGOCD_ENV_<name>`. */
export interface PluginEnvEntry {
  name: string;
  /** `$NAME` and `${NAME}` are replaced from the build environment (`$$` is one `$`). */
  value: string;
}

/**
 * A parameter of a plugin: given to its commands in `ARGOCD_APP_PARAMETERS` (JSON) and as
 * `PARAM_<NAME>` (a string), `PARAM_<NAME>_<i>` (an array) and `PARAM_<NAME>_<KEY>` (a map).
 */
export interface PluginParameter {
  name: string;
  string?: string;
  array?: string[];
  map?: Record<string, string>;
}

/**
 * `source.plugin`: the source is rendered by a config management plugin of capstan-config
 * (`plugins.<name>`), the named one or the one whose discovery rule matches the source directory.
 */
export interface PluginSource {
  name?: string;
  env?: PluginEnvEntry[];
  parameters?: PluginParameter[];
}
