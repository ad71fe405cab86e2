import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { assessState, writeState, type ClusterState } from './state.js';

const dir = mkdtempSync(join(tmpdir(), 'capstan-state-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function stateWith(processes: ClusterState['processes'], cacheKey = 'key'): string {
  const file = join(dir, `${Math.random()}.json`);
  writeState(file, {
    version: 1, cacheKey, server: 'https://127.0.0.1:1', kubeconfig: '/k', startedAt: '',
    ports: { etcdClient: 1, etcdPeer: 2, apiserver: 3, controllerManager: 4, scheduler: 5 }, processes,
  });
  return file;
}

describe('assessState', () => {
  const self = { name: 'self', pid: process.pid, binary: readFileSync('/proc/self/cmdline', 'utf8').split('\0')[0] ?? '' };

  it('is absent when there is no state directory', () => {
    expect(assessState(join(dir, 'none.json'), false, 'key').kind).toBe('absent');
  });

  it('is running when every recorded process is alive', () => {
    expect(assessState(stateWith([self]), true, 'key').kind).toBe('running');
  });

  it('is stale when a recorded process is gone', () => {
    const found = assessState(stateWith([self, { name: 'etcd', pid: 2 ** 22 + 7, binary: '/nope/etcd' }]), true, 'key');
    expect(found).toMatchObject({ kind: 'stale', reason: 'not running: etcd' });
  });

  it('is stale when a pid was reused by another program', () => {
    const found = assessState(stateWith([{ name: 'etcd', pid: process.pid, binary: '/cache/bin/etcd' }]), true, 'key');
    expect(found.kind).toBe('stale');
  });

  it('is stale when the binaries changed version or the state file is unreadable', () => {
    expect(assessState(stateWith([self], 'old'), true, 'key').kind).toBe('stale');
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{');
    expect(assessState(broken, true, 'key').kind).toBe('stale');
  });
});
