/**
 * Pure checks of what becomes part of a URL or a path: repository URLs, chart names, versions,
 * OCI tags and digests; and the redaction of URLs for messages.
 */
import { chartFailure, type ChartFailure, type ChartRef } from './types.js';

/** An index.yaml repository. `base` has no user info and no fragment; `key` names it in caches. */
export interface HttpChartRepo {
  readonly kind: 'http';
  readonly base: URL;
  readonly key: string;
  /** For messages: the URL with any query values removed. */
  readonly display: string;
}

/** A chart in an OCI registry: `<origin>/v2/<name>/…`. */
export interface OciChartRepo {
  readonly kind: 'oci';
  /** `https://host[:port]`, or `http://…` for a loopback host. */
  readonly origin: string;
  /** The repository name: the repoURL's path and the chart, `path/chart`. */
  readonly name: string;
  readonly key: string;
  /** `oci://host[:port]/path/chart`. */
  readonly display: string;
}

export type ChartRepo = HttpChartRepo | OciChartRepo;

export const MAX_VERSION_LENGTH = 256;
export const MAX_TARGET_REVISION_LENGTH = 512;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Helm's rule for chart names, without '/' (never a path part here) and without leading dots. */
const CHART_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,249}$/;
/** One path component of an OCI repository name (distribution spec). */
const OCI_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const OCI_TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;
const OCI_NAME_MAX = 255;

/** Parses and checks a chart reference's repository and chart name. */
export function chartRepoOf(ref: Pick<ChartRef, 'repoURL' | 'chart'>): { ok: true; repo: ChartRepo } | ChartFailure {
  const chartError = chartNameError(ref.chart);
  if (chartError !== undefined) return chartFailure('InvalidChartRef', chartError);
  const repoURL = ref.repoURL.trim();
  if (repoURL === '') return chartFailure('InvalidChartRef', 'a Helm chart source needs a repoURL');
  if (CONTROL.test(repoURL)) return chartFailure('InvalidChartRef', 'the repoURL holds control characters');
  if (/^oci:\/\//i.test(repoURL)) return ociRepoOf(repoURL.slice('oci://'.length), ref.chart);
  if (/^https?:\/\//i.test(repoURL)) return httpRepoOf(repoURL);
  // Argo CD takes a repoURL without a scheme as an OCI registry (`registry.example.com/charts`).
  if (!repoURL.includes('://') && /^[A-Za-z0-9.-]+(?::[0-9]+)?(?:\/|$)/.test(repoURL)) return ociRepoOf(repoURL, ref.chart);
  return chartFailure('InvalidChartRef', `repoURL ${redactUrl(repoURL)} is neither an http(s):// chart repository nor an oci:// registry`);
}

/** Why `name` cannot be a chart name, or undefined when it can. */
export function chartNameError(name: string): string | undefined {
  if (name === '') return 'a Helm chart source from a chart repository needs a chart name';
  if (CONTROL.test(name)) return 'the chart name holds control characters';
  if (!CHART_NAME.test(name)) return `chart name "${name.slice(0, 100)}" is not a chart name (letters, digits, '.', '_' and '-'; no '/')`;
  return undefined;
}

/** Why `version` (a version picked earlier) cannot be used, or undefined when it can. */
export function versionError(version: string): string | undefined {
  if (version === '') return 'the chart version is empty';
  if (version.length > MAX_VERSION_LENGTH) return `the chart version is longer than ${MAX_VERSION_LENGTH} characters`;
  if (CONTROL.test(version)) return 'the chart version holds control characters';
  if (version.includes('/') || version.includes('..') || version.includes('\\')) return `chart version "${version}" holds '/', '\\' or '..'`;
  return undefined;
}

/** Why a targetRevision cannot even be read, or undefined. */
export function targetRevisionError(targetRevision: string | undefined): string | undefined {
  if (targetRevision === undefined) return undefined;
  if (targetRevision.length > MAX_TARGET_REVISION_LENGTH) return `the targetRevision is longer than ${MAX_TARGET_REVISION_LENGTH} characters`;
  if (CONTROL.test(targetRevision)) return 'the targetRevision holds control characters';
  return undefined;
}

/** Helm's convention: `+` is not allowed in OCI tags, so versions are pushed with `_` instead. */
export function ociTagOf(version: string): string | undefined {
  const tag = version.replaceAll('+', '_');
  return OCI_TAG.test(tag) ? tag : undefined;
}

/** The version an OCI tag stands for. */
export function versionOfOciTag(tag: string): string {
  return tag.replaceAll('_', '+');
}

/** `sha256:<64 lower-case hex>`: the only digest Capstan accepts. */
export function isSha256Digest(digest: string): boolean {
  return SHA256_DIGEST.test(digest);
}

/** localhost, 127.0.0.0/8 and ::1: the only hosts reached over plain HTTP for OCI. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true;
  return /^127\.(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])$/.test(host);
}

/** The URL without user info, with every query value and any fragment replaced: safe for messages and logs. */
export function redactUrl(url: string): string {
  let parsed: URL | undefined;
  try {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  // Not a URL with an authority: drop anything that looks like user info.
  if (parsed === undefined) return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/@]*@/i, '$1');
  parsed.username = '';
  parsed.password = '';
  const keys = [...new Set(parsed.searchParams.keys())];
  for (const key of keys) parsed.searchParams.set(key, 'redacted');
  if (parsed.hash !== '') parsed.hash = 'redacted';
  return parsed.toString();
}

function httpRepoOf(repoURL: string): { ok: true; repo: HttpChartRepo } | ChartFailure {
  let base: URL;
  try {
    base = new URL(repoURL);
  } catch {
    return chartFailure('InvalidChartRef', `repoURL ${redactUrl(repoURL)} is not a URL`);
  }
  if (base.username !== '' || base.password !== '') {
    return chartFailure('InvalidChartRef', `repoURL ${redactUrl(repoURL)} holds credentials; chart repositories are read anonymously`);
  }
  base.hash = '';
  const display = redactUrl(base.toString());
  const key = `${base.protocol}//${base.host}${base.pathname.replace(/\/+$/, '')}${base.search}`;
  return { ok: true, repo: { kind: 'http', base, key, display } };
}

function ociRepoOf(rest: string, chart: string): { ok: true; repo: OciChartRepo } | ChartFailure {
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const path = (slash < 0 ? '' : rest.slice(slash + 1)).replace(/\/+$/, '');
  if (authority.includes('@')) return chartFailure('InvalidChartRef', 'an oci:// repoURL may not hold credentials; registries are read anonymously');
  let host: URL;
  try {
    host = new URL(`https://${authority}`);
  } catch {
    return chartFailure('InvalidChartRef', `oci://${redactUrl(authority)} does not name a registry host`);
  }
  if (authority === '' || host.pathname !== '/' || host.search !== '' || host.hash !== '') {
    return chartFailure('InvalidChartRef', `oci://${authority} does not name a registry host`);
  }
  if (/[?#]/.test(path)) return chartFailure('InvalidChartRef', 'an oci:// repoURL may not have a query or fragment');
  const components = [...(path === '' ? [] : path.split('/')), chart];
  const bad = components.find((c) => !OCI_COMPONENT.test(c));
  if (bad !== undefined) {
    return chartFailure('InvalidChartRef', `"${bad.slice(0, 100)}" is not a valid OCI repository name part (lower-case letters and digits, separated by '.', '_', '__' or '-')`);
  }
  const name = components.join('/');
  if (host.host.length + 1 + name.length > OCI_NAME_MAX) return chartFailure('InvalidChartRef', `the OCI reference is longer than ${OCI_NAME_MAX} characters`);
  // Parsed again with the scheme it is reached by, so that only that scheme's default port is dropped.
  const origin = isLoopbackHost(host.hostname) ? new URL(`http://${authority}`).origin : host.origin;
  const display = `oci://${new URL(origin).host}/${name}`;
  return { ok: true, repo: { kind: 'oci', origin, name, key: display, display } };
}
