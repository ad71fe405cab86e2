import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Pinned versions of the render tools and the test registry, read from versions.env (shared with build.sh). */
export interface ToolVersions {
  readonly kustomize: string;
  readonly helm: string;
  readonly jsonnet: string;
  readonly registry: string;
  readonly goMin: string;
  readonly cacheKey: string;
}

/** The tools build.sh builds; each has its wrapper module under tools/go/<name>. */
export const TOOL_NAMES = ['kustomize', 'helm', 'jsonnet', 'registry'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

/** The Go module that each tool's wrapper module requires at the pinned version. */
export const TOOL_MODULES: Readonly<Record<ToolName, string>> = {
  kustomize: 'sigs.k8s.io/kustomize/kustomize/v5',
  helm: 'helm.sh/helm/v4',
  jsonnet: 'github.com/google/go-jsonnet',
  registry: 'github.com/google/go-containerregistry',
};

/** Parses the KEY=VALUE lines of versions.env, expanding ${NAME} references to earlier keys. */
export function parseToolVersions(text: string): ToolVersions {
  const values = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`tools/versions.env: cannot parse line "${line}"`);
    const value = line.slice(eq + 1).replace(/\$\{(\w+)\}/g, (_, name: string) => values.get(name) ?? '');
    values.set(line.slice(0, eq), value);
  }
  const get = (key: string): string => {
    const value = values.get(key);
    if (value === undefined || value === '') throw new Error(`tools/versions.env: ${key} is not set`);
    return value;
  };
  return {
    kustomize: get('KUSTOMIZE_VERSION'),
    helm: get('HELM_VERSION'),
    jsonnet: get('JSONNET_VERSION'),
    registry: get('REGISTRY_VERSION'),
    goMin: get('GO_MIN_VERSION'),
    cacheKey: get('TOOLS_CACHE_KEY'),
  };
}

export function readToolVersions(): ToolVersions {
  return parseToolVersions(readFileSync(fileURLToPath(new URL('./versions.env', import.meta.url)), 'utf8'));
}

/**
 * The directory holding the built tools: CAPSTAN_TOOLS_DIR when the calling script set it,
 * otherwise the one build.sh prints (building the tools on first use).
 */
export function toolsDir(env: NodeJS.ProcessEnv = process.env): string {
  const set = env.CAPSTAN_TOOLS_DIR;
  if (set !== undefined && set !== '') return set;
  const script = fileURLToPath(new URL('./build.sh', import.meta.url));
  const result = spawnSync('bash', [script], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error('building the render tools failed (see the messages above)');
  const bin = result.stdout.trim().split('\n').pop();
  if (bin === undefined || bin === '') throw new Error('tools/build.sh printed no directory');
  return bin;
}
