import { describe, expect, it } from '@jest/globals';
import { parseVersionsEnv, readVersions } from './versions.js';

describe('versions.env', () => {
  it('expands references to earlier keys', () => {
    const v = parseVersionsEnv('# pins\nK8S_VERSION=v1.2.3\nETCD_VERSION=v3.5.0\nKWOK_VERSION=v0.7.0\nCLUSTER_CACHE_KEY=k8s-${K8S_VERSION}_kwok-${KWOK_VERSION}\n');
    expect(v).toEqual({ kubernetes: 'v1.2.3', etcd: 'v3.5.0', kwok: 'v0.7.0', cacheKey: 'k8s-v1.2.3_kwok-v0.7.0' });
  });

  it('rejects a file that misses a version', () => {
    expect(() => parseVersionsEnv('K8S_VERSION=v1\n')).toThrow('ETCD_VERSION is not set');
  });

  it('pins an etcd 3.5 and a Kubernetes release, and the Go modules agree with it', async () => {
    const v = readVersions();
    expect(v.etcd).toMatch(/^v3\.5\.\d+$/);
    const { readFile } = await import('node:fs/promises');
    const k8sMod = await readFile(new URL('./go/kubernetes/go.mod', import.meta.url), 'utf8');
    expect(k8sMod).toContain(`k8s.io/kubernetes ${v.kubernetes}`);
    const staging = `v0.${v.kubernetes.slice(3)}`;
    const replaced = k8sMod.split('\n').filter((l) => l.includes(' => '));
    expect(replaced.length).toBeGreaterThanOrEqual(30);
    for (const line of replaced) expect(line.trim().endsWith(staging)).toBe(true);
    expect(await readFile(new URL('./go/etcd/go.mod', import.meta.url), 'utf8')).toContain(`go.etcd.io/etcd/server/v3 ${v.etcd}`);
    expect(await readFile(new URL('./go/kwok/go.mod', import.meta.url), 'utf8')).toContain(`sigs.k8s.io/kwok ${v.kwok}`);
  });
});
