// Test support (not built into dist/): run a capstan command in-process, or the real CLI as a child process.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import type { CommandIO } from '../io.js';
import { captureIO, type CapturedIO, type CaptureOptions } from './capture.js';

export type RegisterCommand = (program: Command, io: CommandIO) => void;

/**
 * Builds a `capstan` program as main.ts does, with only `register`'s command, and runs `args` (without 'node capstan')
 * against in-memory streams. A usage error is recorded as its exit code rather than ending the process.
 */
export async function runCommand(register: RegisterCommand, args: readonly string[], options: CaptureOptions = {}): Promise<CapturedIO> {
  const io = captureIO(options);
  const program = new Command()
    .name('capstan')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out.write(text), writeErr: (text) => io.err.write(text) });
  register(program, io);
  try {
    await program.parseAsync(['node', 'capstan', ...args]);
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    io.setExitCode(err.exitCode);
  }
  return io;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');

/** Runs `node --import tsx src/cli/main.ts ...args` from the repository root: the real entry point, end to end. */
export async function runCli(args: readonly string[], options: { stdin?: string } = {}): Promise<CliResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', join('src', 'cli', 'main.ts'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  child.stdin.end(options.stdin ?? '');
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  return { code, stdout, stderr };
}
