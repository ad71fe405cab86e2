import path from 'node:path';
import type { ToolPaths } from './locate.js';

/**
 * The whole environment of a render tool: a PATH with the tools and the system's binaries, a
 * home of the run's own, and the tools' own settings pointing into it. Nothing of the
 * controller's environment is passed on: no KUBECONFIG, no in-cluster service variables, no
 * proxy or credential variables, so a tool cannot reach the API server with the controller's
 * rights (`helm template` has `lookup` return nothing, as it does in Argo CD).
 */
export function toolEnvironment(home: string, tools: ToolPaths): Record<string, string> {
  const toolDirs = [...new Set(Object.values(tools).map((t) => path.dirname(t)))];
  return {
    PATH: [...toolDirs, '/usr/local/bin', '/usr/bin', '/bin'].join(path.delimiter),
    HOME: home,
    TMPDIR: home,
    LANG: 'C.UTF-8',
    KUBECONFIG: path.join(home, 'no-kubeconfig'),
    HELM_CACHE_HOME: path.join(home, 'helm', 'cache'),
    HELM_CONFIG_HOME: path.join(home, 'helm', 'config'),
    HELM_DATA_HOME: path.join(home, 'helm', 'data'),
    // Helm's plugins never run: a chart cannot bring its own.
    HELM_PLUGINS: path.join(home, 'helm', 'no-plugins'),
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
  };
}
