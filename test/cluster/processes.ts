import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** A process of the control plane, as recorded in the state file. */
export interface RecordedProcess {
  readonly name: string;
  readonly pid: number;
  readonly binary: string;
}

/**
 * Starts a process in its own process group, detached from this one, so the control plane
 * outlives `cluster:up`. Output goes to `logFile`.
 */
export function startDetached(name: string, binary: string, args: readonly string[], logFile: string, cwd: string): RecordedProcess {
  const log = openSync(logFile, 'a');
  try {
    const child = spawn(binary, args, { cwd, detached: true, stdio: ['ignore', log, log], env: { ...process.env, GOTRACEBACK: 'all' } });
    if (child.pid === undefined) throw new Error(`could not start ${name} (${binary})`);
    child.unref();
    return { name, pid: child.pid, binary };
  } finally {
    closeSync(log);
  }
}

/** The command line of a live process, or undefined when it is gone (or a zombie). */
function commandLine(pid: number): string | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    if (/^State:\s+Z/m.test(status)) return undefined;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return undefined;
  }
}

/** True when the recorded process still runs (and its pid was not reused by another program). */
export function isRunning(proc: RecordedProcess): boolean {
  const cmd = commandLine(proc.pid);
  return cmd !== undefined && cmd.startsWith(proc.binary);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      /* already gone */
    }
  }
}

/** Stops the processes (SIGTERM, then SIGKILL after `graceMs`) and waits until none remains. */
export async function stopAll(procs: readonly RecordedProcess[], graceMs = 10_000): Promise<void> {
  const live = procs.filter(isRunning);
  for (const p of live) signal(p.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (live.some(isRunning) && Date.now() < deadline) await sleep(100);
  for (const p of live.filter(isRunning)) signal(p.pid, 'SIGKILL');
  const killDeadline = Date.now() + 5_000;
  while (live.some(isRunning) && Date.now() < killDeadline) await sleep(50);
  const stuck = live.filter(isRunning);
  if (stuck.length > 0) throw new Error(`processes did not stop: ${stuck.map((p) => `${p.name} (pid ${p.pid})`).join(', ')}`);
}

/** Pids of every live process whose command line mentions `marker` (e.g. a state directory). */
export function processesMentioning(marker: string): { pid: number; command: string }[] {
  const found: { pid: number; command: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const cmd = commandLine(pid);
    if (cmd?.includes(marker)) found.push({ pid, command: cmd });
  }
  return found;
}
