// The dashboard's first load (index.html and every asset it references) stays under 250 KiB
// gzipped. Reads the build of `npm run build:dashboard` (scripts/test.sh builds it first).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';

const outDir = new URL('../../dist/dashboard-ui/', import.meta.url).pathname;
const limit = 250 * 1024;

/** The local files index.html references by src or href (not data: or absolute URLs). */
function referencedFiles(html: string): string[] {
  const refs = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
  return refs.filter((ref) => ref !== '' && !/^(?:[a-z]+:|\/\/|#)/i.test(ref)).map((ref) => normalize(join(outDir, ref.split(/[?#]/)[0] ?? '')));
}

function gzippedSize(path: string): number {
  return gzipSync(readFileSync(path), { level: 9 }).length;
}

describe('dashboard bundle', () => {
  it('is built, references its script relatively, and its first load is under 250 KiB gzipped', () => {
    const index = join(outDir, 'index.html');
    expect(existsSync(index)).toBe(true);
    const html = readFileSync(index, 'utf8');
    const files = referencedFiles(html);
    expect(files.some((file) => file.endsWith('.js'))).toBe(true);
    for (const file of files) {
      expect(dirname(file).startsWith(normalize(outDir))).toBe(true);
      expect(existsSync(file)).toBe(true);
    }
    expect(html).not.toMatch(/\b(?:src|href)="\/(?!\/)/);
    const total = gzippedSize(index) + files.reduce((sum, file) => sum + gzippedSize(file), 0);
    expect(total).toBeLessThan(limit);
  });
});
