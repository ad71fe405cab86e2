import type { Stats } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { extract, type ReadEntry } from 'tar';

export interface ChartArchiveLimits {
  /** Most files and directories the archive may hold. */
  readonly maxEntries: number;
  /** Most bytes its files may add up to, unpacked. */
  readonly maxBytes: number;
}

export type ExtractedChart = { ok: true; chartDir: string } | { ok: false; message: string };

/**
 * Unpacks a chart archive (.tgz) into `dest` and names the chart's directory in it. Only plain
 * files and directories are unpacked: no links, no devices, nothing outside `dest` (node-tar
 * strips absolute paths and refuses '..'), and no more than the limits.
 */
export async function extractChartArchive(archive: string, dest: string, limits: ChartArchiveLimits): Promise<ExtractedChart> {
  const seen = { entries: 0, bytes: 0, tooLarge: false };
  try {
    await extract({
      file: archive,
      cwd: dest,
      strict: true,
      preservePaths: false,
      preserveOwner: false,
      filter: (_path: string, entry: ReadEntry | Stats) => {
        if (!('type' in entry)) return false;
        if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'Directory') return false;
        seen.entries += 1;
        seen.bytes += entry.size;
        // Past a limit nothing more is written (the rest is only read through), and the chart is refused.
        if (seen.entries > limits.maxEntries || seen.bytes > limits.maxBytes) seen.tooLarge = true;
        return !seen.tooLarge;
      },
    });
  } catch (err) {
    return { ok: false, message: `the chart archive could not be unpacked: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (seen.tooLarge) return { ok: false, message: `the chart archive holds more than ${limits.maxEntries} entries or ${limits.maxBytes} bytes` };
  const top = (await readdir(dest, { withFileTypes: true })).filter((d) => d.isDirectory());
  if (top.length !== 1 || top[0] === undefined) return { ok: false, message: 'the chart archive does not hold exactly one chart directory' };
  return { ok: true, chartDir: top[0].name };
}
