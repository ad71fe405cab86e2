/** Temporary directories for tests, removable even when they hold read-only trees. */
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `capstan-${prefix}-`));
}

export function removeTempDir(dir: string): void {
  makeWritable(dir);
  rmSync(dir, { recursive: true, force: true });
}

function makeWritable(dir: string): void {
  try {
    chmodSync(dir, 0o755);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) makeWritable(join(dir, entry.name));
    }
  } catch {
    /* gone already */
  }
}
