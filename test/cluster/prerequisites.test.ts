// A missing prerequisite is reported by name with how to get it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { freePorts } from './ports.js';

describe('prerequisites', () => {
  it('names Go and how to install it when Go is missing and the binaries are not cached', () => {
    const cache = mkdtempSync(join(tmpdir(), 'capstan-nocache-'));
    try {
      const script = fileURLToPath(new URL('./build.sh', import.meta.url));
      const result = spawnSync('/bin/bash', [script], {
        env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', CAPSTAN_CACHE_DIR: cache, HOME: cache },
        encoding: 'utf8',
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('Go is not installed');
      expect(result.stderr).toContain('https://go.dev/dl');
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('says which address cannot be bound', async () => {
    await expect(freePorts(1, '192.0.2.1')).rejects.toThrow(/cannot bind a TCP port on 192\.0\.2\.1/);
  });

  it('hands out distinct free ports on loopback', async () => {
    const ports = await freePorts(5);
    expect(new Set(ports).size).toBe(5);
    for (const p of ports) expect(p).toBeGreaterThan(0);
  });
});
