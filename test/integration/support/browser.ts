// A headless Chromium for the dashboard's tests: Debian's package (installed with apt-get the
// first time, when missing), driven by playwright-core.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const chromiumPath = process.env['CAPSTAN_CHROMIUM'] ?? '/usr/bin/chromium';

/** Installs Debian's chromium when it is not there (once: concurrent callers wait on one lock). */
export function ensureChromium(): void {
  if (existsSync(chromiumPath)) return;
  const canInstall = process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0;
  if (!canInstall) throw new Error(`no Chromium at ${chromiumPath}: install Debian's package (sudo apt-get install -y chromium) or set CAPSTAN_CHROMIUM`);
  execFileSync('flock', ['/tmp/capstan-chromium-install.lock', 'sh', '-c',
    `[ -x ${chromiumPath} ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }`], { stdio: 'inherit', timeout: 600_000 });
  if (!existsSync(chromiumPath)) throw new Error(`apt-get install chromium did not install ${chromiumPath}`);
}

export async function launchBrowser(): Promise<Browser> {
  ensureChromium();
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
}
