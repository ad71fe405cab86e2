import { describe, expect, it } from '@jest/globals';
import { chartNameError, chartRepoOf, isLoopbackHost, ociTagOf, redactUrl, targetRevisionError, versionError, versionOfOciTag, type ChartRepo } from './ref.js';

function repoOf(repoURL: string, chart = 'demo'): ChartRepo {
  const parsed = chartRepoOf({ repoURL, chart });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.repo;
}

function refusal(repoURL: string, chart = 'demo'): string {
  const parsed = chartRepoOf({ repoURL, chart });
  if (parsed.ok) throw new Error(`${repoURL} was accepted`);
  expect(parsed.code).toBe('InvalidChartRef');
  return parsed.message;
}

describe('chartRepoOf', () => {
  it('reads http(s) chart repositories, keyed without a trailing slash', () => {
    const repo = repoOf('https://Charts.Example.com/stable/');
    expect(repo).toMatchObject({ kind: 'http', key: 'https://charts.example.com/stable', display: 'https://charts.example.com/stable/' });
    expect(repoOf('http://127.0.0.1:8080').kind).toBe('http');
  });

  it('refuses credentials in the URL without repeating them', () => {
    const message = refusal('https://user:s3cret@charts.example.com/');
    expect(message).toContain('credentials');
    expect(message).not.toContain('s3cret');
    expect(refusal('oci://user:s3cret@registry.example.com/charts')).not.toContain('s3cret');
  });

  it('reads oci:// registries: https, or plain http for loopback hosts only', () => {
    expect(repoOf('oci://registry.example.com/charts/team')).toMatchObject({
      kind: 'oci',
      origin: 'https://registry.example.com',
      name: 'charts/team/demo',
      display: 'oci://registry.example.com/charts/team/demo',
    });
    expect(repoOf('oci://localhost:5000/charts')).toMatchObject({ origin: 'http://localhost:5000', name: 'charts/demo' });
    expect(repoOf('oci://127.1.2.3:5000')).toMatchObject({ origin: 'http://127.1.2.3:5000', name: 'demo' });
    expect(repoOf('oci://[::1]:5000/x')).toMatchObject({ origin: 'http://[::1]:5000' });
    // Only the scheme's own default port is dropped.
    expect(repoOf('oci://localhost:443/x')).toMatchObject({ origin: 'http://localhost:443' });
    expect(repoOf('oci://localhost.example.com/x')).toMatchObject({ origin: 'https://localhost.example.com' });
    expect(repoOf('oci://128.0.0.1/x')).toMatchObject({ origin: 'https://128.0.0.1' });
  });

  it('takes a repoURL without a scheme as an OCI registry, as Argo CD does', () => {
    expect(repoOf('registry-1.docker.io/bitnamicharts', 'nginx')).toMatchObject({ kind: 'oci', origin: 'https://registry-1.docker.io', name: 'bitnamicharts/nginx' });
  });

  it('refuses other schemes and malformed OCI names', () => {
    expect(refusal('git@github.com:org/repo.git')).toContain('neither');
    expect(refusal('file:///charts')).toContain('neither');
    expect(refusal('oci://registry.example.com/Charts')).toContain('"Charts"');
    expect(refusal('oci://registry.example.com/charts', 'Demo')).toContain('"Demo"');
    expect(refusal('oci://registry.example.com/a//b')).toContain('""');
    expect(refusal('oci://registry.example.com/a?x=1')).toContain('query');
    expect(refusal('oci:///charts')).toContain('registry host');
    expect(refusal('')).toContain('repoURL');
  });
});

describe('names and versions', () => {
  it('accepts chart names Helm accepts, without path parts', () => {
    expect(chartNameError('my-chart_2.0')).toBeUndefined();
    for (const bad of ['', '.', '..', '../etc', 'a/b', 'a\\b', '.hidden', 'a\nb', 'a b', 'x'.repeat(251)]) expect(chartNameError(bad)).toBeDefined();
  });

  it('refuses versions that could leave their place in a URL or path', () => {
    expect(versionError('1.2.3-rc.1+build.5')).toBeUndefined();
    for (const bad of ['', '../1.0.0', '1.0/0', '1.0\\0', '1.0\u0000', 'x'.repeat(257)]) expect(versionError(bad)).toBeDefined();
    expect(targetRevisionError(undefined)).toBeUndefined();
    expect(targetRevisionError('>=1.0 <2.0')).toBeUndefined();
    expect(targetRevisionError('1.0\r\n')).toBeDefined();
    expect(targetRevisionError('1'.repeat(513))).toBeDefined();
  });

  it("turns '+' into '_' for OCI tags, and back", () => {
    expect(ociTagOf('1.2.3+build.5')).toBe('1.2.3_build.5');
    expect(versionOfOciTag('1.2.3_build.5')).toBe('1.2.3+build.5');
    expect(ociTagOf('1.0.0/../x')).toBeUndefined();
    expect(ociTagOf('.1')).toBeUndefined();
    expect(ociTagOf('1'.repeat(129))).toBeUndefined();
  });

  it('knows loopback hosts', () => {
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.255.0.9', '[::1]']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['localhost.example.com', '127.0.0.256', '10.0.0.1', '[::2]', 'example.com']) expect(isLoopbackHost(host)).toBe(false);
  });

  it('redacts user info, query values and fragments', () => {
    expect(redactUrl('https://user:pw@host/charts/index.yaml?token=abc&x=1#frag')).toBe('https://host/charts/index.yaml?token=redacted&x=redacted#redacted');
    expect(redactUrl('user:pw@host/x')).toBe('host/x');
  });
});
