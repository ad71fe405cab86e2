// Test support (not built into dist/): the real render tools, and temporary trees to run them on.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { toolsDir } from '../../../tools/versions.js';
import { locateTools, type ToolName, type ToolPaths } from '../tools/locate.js';

const run = promisify(execFile);

let located: ToolPaths | undefined;

/**
 * The pinned tools tools/build.sh built (CAPSTAN_TOOLS_DIR, else built on first use), and
 * nothing from PATH. A tool that is missing throws: a test that needs it fails, never skips.
 */
export function realTools(...needed: ToolName[]): ToolPaths {
  located ??= locateTools({ toolsDir: toolsDir(), searchPath: '' });
  for (const tool of needed) {
    if (located[tool] === undefined) throw new Error(`${tool} was not found: build the render tools with tools/build.sh (npm test does) or set CAPSTAN_TOOLS_DIR`);
  }
  return located;
}

/** The path of one real tool (throws when it is missing). */
export function realTool(tool: 'kustomize' | 'helm' | 'jsonnet'): string {
  return realTools(tool)[tool] as string;
}

/** Runs a real tool in `cwd` with a bare environment; its stdout, or an error carrying its stderr. */
export async function runTool(tool: 'kustomize' | 'helm' | 'jsonnet', args: readonly string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run(realTool(tool), [...args], { cwd, env: { PATH: '/usr/bin:/bin', HOME: cwd, KUBECONFIG: path.join(cwd, 'no-kubeconfig') }, timeout: 60_000 });
    return stdout;
  } catch (err) {
    const stderr = typeof err === 'object' && err !== null && 'stderr' in err ? String(err.stderr) : '';
    throw new Error(`${tool} ${args.join(' ')} failed: ${stderr.split('\n')[0] ?? String(err)}`);
  }
}

/** A file's text, or a symlink (`{ symlink: target }`), in a tree made by TempTrees. */
export type TreeEntry = string | { readonly symlink: string };

/** Temporary directories for one test file, removed together at the end. */
export class TempTrees {
  private base: string | undefined;
  private count = 0;

  constructor(private readonly prefix: string) {}

  /** A fresh directory holding `entries` (paths relative to it; parents made as needed). */
  async make(entries: Readonly<Record<string, TreeEntry>> = {}): Promise<string> {
    this.base ??= await mkdtemp(path.join(tmpdir(), `${this.prefix}-`));
    const dir = path.join(this.base, `t${++this.count}`);
    await mkdir(dir, { recursive: true });
    await writeTree(dir, entries);
    return dir;
  }

  async remove(): Promise<void> {
    if (this.base !== undefined) await rm(this.base, { recursive: true, force: true });
  }
}

/** Writes files and symlinks under `dir`. */
export async function writeTree(dir: string, entries: Readonly<Record<string, TreeEntry>>): Promise<void> {
  for (const [name, entry] of Object.entries(entries)) {
    const file = path.join(dir, name);
    await mkdir(path.dirname(file), { recursive: true });
    if (typeof entry === 'string') await writeFile(file, entry);
    else await symlink(entry.symlink, file);
  }
}
