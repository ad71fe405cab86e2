// tools/versions.env pins the render tools; the wrapper modules under tools/go must agree with it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { TOOL_MODULES, TOOL_NAMES, parseToolVersions, readToolVersions, toolsDir } from '../../tools/versions.js';

const toolsRoot = new URL('../../tools/', import.meta.url);
const goMod = (tool: string): string => readFileSync(new URL(`go/${tool}/go.mod`, toolsRoot), 'utf8');

function requiredVersion(mod: string, module: string): string | undefined {
  const line = mod.split('\n').find((l) => l.trim().startsWith(`${module} `) || l.startsWith(`require ${module} `));
  return line?.trim().replace(/^require /, '').split(/\s+/)[1];
}

describe('tools/versions.env', () => {
  it('expands references to earlier keys', () => {
    const v = parseToolVersions(
      '# pins\nKUSTOMIZE_VERSION=v5.1.0\nHELM_VERSION=v4.0.0\nJSONNET_VERSION=v0.1.0\nREGISTRY_VERSION=v0.2.0\nGO_MIN_VERSION=1.26\nTOOLS_CACHE_KEY=k-${KUSTOMIZE_VERSION}_h-${HELM_VERSION}\n',
    );
    expect(v).toEqual({ kustomize: 'v5.1.0', helm: 'v4.0.0', jsonnet: 'v0.1.0', registry: 'v0.2.0', goMin: '1.26', cacheKey: 'k-v5.1.0_h-v4.0.0' });
  });

  it('rejects a file that misses a version', () => {
    expect(() => parseToolVersions('KUSTOMIZE_VERSION=v5.8.2\n')).toThrow('HELM_VERSION is not set');
  });

  it('names every pinned version in the cache key', () => {
    const v = readToolVersions();
    for (const tool of TOOL_NAMES) expect(v.cacheKey).toContain(`${tool}-${v[tool]}`);
  });

  it('has each wrapper module require its tool at the pinned version', () => {
    const v = readToolVersions();
    expect(v.kustomize).toMatch(/^v5\.\d+\.\d+$/);
    expect(v.helm).toMatch(/^v4\.\d+\.\d+$/);
    for (const tool of TOOL_NAMES) {
      expect(requiredVersion(goMod(tool), TOOL_MODULES[tool])).toBe(v[tool]);
      expect(readFileSync(new URL(`go/${tool}/go.sum`, toolsRoot), 'utf8')).toContain(`${TOOL_MODULES[tool]} ${v[tool]} h1:`);
    }
  });

  it('needs no Go newer than GO_MIN_VERSION, so the local toolchain builds every module', () => {
    const { goMin } = readToolVersions();
    const [minMajor = 0, minMinor = 0] = goMin.split('.').map(Number);
    for (const tool of TOOL_NAMES) {
      const mod = goMod(tool);
      expect(mod).not.toMatch(/^toolchain /m);
      const [, major = '0', minor = '0'] = /^go (\d+)\.(\d+)/m.exec(mod) ?? [];
      expect(Number(major) * 1000 + Number(minor)).toBeLessThanOrEqual(minMajor * 1000 + minMinor);
    }
  });

  it('keeps kustomize on a kustomize/api the local Go can build (v0.21.3 needs a newer Go)', () => {
    const api = requiredVersion(goMod('kustomize'), 'sigs.k8s.io/kustomize/api');
    const [maj = 0, min = 0, patch = 0] = (api ?? 'v9.9.9').slice(1).split('.').map(Number);
    expect(maj * 1e6 + min * 1e3 + patch).toBeLessThanOrEqual(21 * 1e3 + 2);
  });
});

describe('tools/build.sh', () => {
  const script = fileURLToPath(new URL('build.sh', toolsRoot));
  const run = (args: string[], env: NodeJS.ProcessEnv) => spawnSync('/bin/bash', [script, ...args], { env, encoding: 'utf8' });

  it('rejects a tool it does not build, naming the ones it does', () => {
    const result = run(['--only', 'kustomize,kubectl'], { PATH: process.env.PATH });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("unknown tool 'kubectl'");
    expect(result.stderr).toContain('kustomize helm jsonnet registry');
  });

  it('names Go and how to install it when Go is missing and the tools are not cached', () => {
    const cache = mkdtempSync(join(tmpdir(), 'capstan-notools-'));
    try {
      const result = run(['--only', 'helm'], { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', CAPSTAN_CACHE_DIR: cache, HOME: cache });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('Go is not installed');
      expect(result.stderr).toContain('https://go.dev/dl');
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});

describe('toolsDir', () => {
  it('takes the directory a script exported without building anything', () => {
    expect(toolsDir({ CAPSTAN_TOOLS_DIR: '/opt/capstan/bin', PATH: '/nonexistent' })).toBe('/opt/capstan/bin');
  });
});

describe('the controller image', () => {
  const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');

  it('builds kustomize, helm and jsonnet with tools/build.sh on a Go the modules accept', () => {
    const goImage = /^ARG GO_IMAGE=golang:(\d+\.\d+)/m.exec(dockerfile)?.[1];
    expect(goImage).toBe(readToolVersions().goMin);
    expect(dockerfile).toContain('tools/build.sh --only kustomize,helm,jsonnet');
  });

  it('puts the three tools (and jsonnet-deps) in /usr/local/bin and tells the controller so', () => {
    expect(dockerfile).toMatch(/^COPY --from=tools \/out\/kustomize \/out\/helm \/out\/jsonnet \/out\/jsonnet-deps \/usr\/local\/bin\/$/m);
    expect(dockerfile).toMatch(/^ENV CAPSTAN_TOOLS_DIR=\/usr\/local\/bin$/m);
  });
});
