/**
 * The real helm and registry binaries for tests: from CAPSTAN_TOOLS_DIR (scripts/test.sh sets
 * it), otherwise built by tools/build.sh on first use. A binary that is missing throws: a test
 * that needs one fails, never skips.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { toolsDir } from '../../../tools/versions.js';

const run = promisify(execFile);

let dir: string | undefined;

export function testTool(name: 'helm' | 'registry'): string {
  dir ??= toolsDir();
  const binary = join(dir, name);
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    throw new Error(`${binary} is missing: build the render tools with tools/build.sh (npm test does) or set CAPSTAN_TOOLS_DIR`);
  }
  return binary;
}

/** Runs helm with a home of its own under `home` (no user configuration, no registry logins). */
export async function helm(home: string, args: readonly string[], cwd?: string): Promise<string> {
  mkdirSync(home, { recursive: true });
  const env = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_DATA_HOME: join(home, 'data'),
    KUBECONFIG: join(home, 'no-kubeconfig'),
  };
  try {
    const { stdout } = await run(testTool('helm'), [...args], { env, cwd: cwd ?? home, timeout: 60_000 });
    return stdout;
  } catch (err) {
    const stderr = typeof err === 'object' && err !== null && 'stderr' in err ? String(err.stderr) : '';
    throw new Error(`helm ${args.join(' ')} failed: ${stderr || String(err)}`);
  }
}
