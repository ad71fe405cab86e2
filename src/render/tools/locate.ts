import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** The render tools Capstan runs. */
export const toolNames = ['kustomize', 'helm', 'jsonnet'] as const;
/** Tools that come with one of those and have its version: jsonnet-deps lists what a Jsonnet file imports. */
export const companionToolNames = ['jsonnet-deps'] as const;
export type ToolName = (typeof toolNames)[number] | (typeof companionToolNames)[number] | 'plugin';

/** Where each tool's binary is; a tool not found is absent (renders that need it fail with ToolMissing). */
export type ToolPaths = Partial<Record<ToolName, string>>;

export interface LocateOptions {
  /** A directory holding the binaries (CAPSTAN_TOOLS_DIR; the image has /usr/local/bin). */
  readonly toolsDir?: string | undefined;
  /** Searched after toolsDir (default process.env.PATH). */
  readonly searchPath?: string | undefined;
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Finds kustomize, helm, jsonnet and jsonnet-deps: in toolsDir first, then on the search path. */
export function locateTools(options: LocateOptions = {}): ToolPaths {
  const dirs = [options.toolsDir, ...(options.searchPath ?? process.env.PATH ?? '').split(path.delimiter)].filter((d): d is string => d !== undefined && d !== '');
  const found: ToolPaths = {};
  for (const tool of [...toolNames, ...companionToolNames]) {
    const dir = dirs.find((d) => executable(path.join(d, tool)));
    if (dir !== undefined) found[tool] = path.join(dir, tool);
  }
  return found;
}

/** The tools' directory from the environment, as the scripts and the image set it. */
export function toolsDirFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = env.CAPSTAN_TOOLS_DIR;
  return dir === undefined || dir === '' ? undefined : dir;
}

const versionArgs: Record<(typeof toolNames)[number], string[]> = {
  kustomize: ['version'],
  helm: ['version', '--short'],
  jsonnet: ['--version'],
};

export type ToolVersions = Record<(typeof toolNames)[number], string>;

/** Each tool's version as it reports it ("not found" when absent, "unknown" when it will not say). Runs each once, briefly. */
export function toolVersions(tools: ToolPaths): ToolVersions {
  const versions = {} as ToolVersions;
  for (const tool of toolNames) {
    const binary = tools[tool];
    if (binary === undefined) {
      versions[tool] = 'not found';
      continue;
    }
    try {
      const out = execFileSync(binary, versionArgs[tool], { timeout: 10_000, env: { PATH: '/usr/bin:/bin', HOME: '/nonexistent' }, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8' });
      versions[tool] = versionOf(out);
    } catch {
      versions[tool] = 'unknown';
    }
  }
  return versions;
}

/** `kustomize v5.8.1, helm v4.3.2, jsonnet v0.22.0`. */
export function formatToolVersions(versions: ToolVersions): string {
  return toolNames.map((t) => `${t} ${versions[t]}`).join(', ');
}

/** The version in a tool's version output: the first v1.2.3-like word ("Jsonnet commandline interpreter (Go implementation) v0.22.0"). */
export function versionOf(output: string): string {
  const match = /v?\d+\.\d+\.\d+[\w.+-]*/.exec(output);
  if (match === null) return 'unknown';
  return match[0].startsWith('v') ? match[0] : `v${match[0]}`;
}
