import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { readToolVersions, toolsDir } from '../../tools/versions.js';

const run = promisify(execFile);
const main = join(fileURLToPath(new URL('.', import.meta.url)), 'main.ts');

async function capstan(args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', main, ...args], { env: { ...process.env, ...env }, timeout: 60_000 });
  return stdout;
}

describe('capstan version and controller --help', () => {
  it('name the versions of the render tools they find, as pinned in tools/versions.env', async () => {
    const pinned = readToolVersions();
    const env = { CAPSTAN_TOOLS_DIR: toolsDir() };
    const version = await capstan(['version'], env);
    expect(version.trim().split('\n')).toEqual([
      expect.stringMatching(/^capstan \d+\.\d+\.\d+$/),
      `kustomize ${pinned.kustomize}`, `helm ${pinned.helm}`, `jsonnet ${pinned.jsonnet}`,
    ]);
    const help = await capstan(['controller', '--help'], env);
    expect(help).toContain(`Render tools (from CAPSTAN_TOOLS_DIR, else PATH): kustomize ${pinned.kustomize}, helm ${pinned.helm}, jsonnet ${pinned.jsonnet}`);
    expect(help).toContain('--render-timeout <duration>');
    expect(help).toContain('--kustomize-allow-remote');
  }, 60_000);

  it('say "not found" for a tool that is not there', async () => {
    const version = await capstan(['version'], { CAPSTAN_TOOLS_DIR: '/nonexistent', PATH: '/usr/bin:/bin' });
    expect(version).toContain('kustomize not found');
  }, 60_000);
});
