import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { locateTools, toolNames, toolsDirFromEnv, toolVersions } from '../render/tools/locate.js';

/** Capstan's version, from package.json (two levels up from src/cli or dist/cli). */
export function capstanVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  const parsed = JSON.parse(text) as { version?: unknown };
  return typeof parsed.version === 'string' ? parsed.version : '0.0.0';
}

/** `capstan version`: Capstan's version and the render tools' it finds. */
export function registerVersionCommand(program: Command): void {
  program
    .command('version')
    .description("print Capstan's version and the versions of the render tools it runs (kustomize, helm, jsonnet)")
    .action(() => {
      const versions = toolVersions(locateTools({ toolsDir: toolsDirFromEnv() }));
      const lines = [`capstan ${capstanVersion()}`, ...toolNames.map((t) => `${t} ${versions[t]}`)];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
