// cluster:up / cluster:down on a second, private state directory: reuse, recovery from a
// crashed run, and a clean stop that leaves no process behind.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from '@jest/globals';
import { repoRoot } from '../../cluster/paths.js';
import { isRunning, processesMentioning } from '../../cluster/processes.js';
import { readState } from '../../cluster/state.js';

const run = promisify(execFile);
const stateDir = join(mkdtempSync(join(tmpdir(), 'capstan-lifecycle-')), 'cluster');
const stateFile = join(stateDir, 'state.json');

async function cluster(command: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('node', ['--import', 'tsx', 'test/cluster/cli.ts', command], {
      cwd: repoRoot,
      env: { ...process.env, CAPSTAN_CLUSTER_DIR: stateDir },
      timeout: 240_000,
    });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

afterAll(async () => {
  await cluster('down');
  rmSync(join(stateDir, '..'), { recursive: true, force: true });
});

describe('cluster:up and cluster:down', () => {
  it('starts, reuses a running control plane, recovers from a crash, and stops without leftovers', async () => {
    const first = await cluster('up');
    expect(first.code).toBe(0);
    const started = readState(stateFile);
    expect(started?.processes.map((p) => p.name)).toEqual(['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok']);
    expect(started?.processes.every(isRunning)).toBe(true);

    const second = await cluster('up');
    expect(second.code).toBe(0);
    expect(second.output).toContain('already running');
    expect(readState(stateFile)?.processes.map((p) => p.pid)).toEqual(started?.processes.map((p) => p.pid));

    // A crash: the API server dies without cluster:down.
    const apiserver = started?.processes.find((p) => p.name === 'kube-apiserver');
    expect(apiserver).toBeDefined();
    if (apiserver === undefined || started === undefined) return;
    process.kill(apiserver.pid, 'SIGKILL');
    const status = await cluster('status');
    expect(status.code).toBe(1);
    expect(status.output).toContain('stale');

    const third = await cluster('up');
    expect(third.code).toBe(0);
    expect(third.output).toContain('cleaning up a previous run');
    const restarted = readState(stateFile);
    expect(restarted?.processes.every(isRunning)).toBe(true);
    for (const old of started.processes) expect(isRunning(old)).toBe(false);

    const stopped = await cluster('down');
    expect(stopped.code).toBe(0);
    expect(processesMentioning(`${stateDir}/`)).toEqual([]);
    expect(existsSync(stateDir)).toBe(false);
  });
});
