import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Runs build.sh (a no-op when the cache is warm) and returns the directory holding the binaries. */
export function ensureBinaries(): string {
  const script = fileURLToPath(new URL('./build.sh', import.meta.url));
  const result = spawnSync('bash', [script], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new PrerequisiteError('building the control-plane binaries failed (see the messages above)');
  const lines = result.stdout.trim().split('\n');
  const bin = lines[lines.length - 1];
  if (bin === undefined || bin === '') throw new PrerequisiteError('build.sh printed no binary directory');
  return bin;
}

/** A missing tool or resource, with a message that says how to get it. */
export class PrerequisiteError extends Error {
  readonly code = 'PREREQUISITE_MISSING';
}

function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Checks the tools the launcher runs itself (Go is checked by build.sh when a build is needed). */
export function checkTools(): void {
  if (!hasCommand('openssl')) {
    throw new PrerequisiteError('openssl is not installed; it generates the local control plane certificates. Install it with: apt-get install -y openssl');
  }
}
