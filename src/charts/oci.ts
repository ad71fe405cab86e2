/**
 * Helm charts in an OCI registry (distribution spec): tag lists (Link pagination, bounded), a
 * tag's image manifest and its chart layer, and the layer's blob. A registry that answers 401
 * with a Bearer challenge gets a token from the realm it names (the Docker token flow), asked
 * with the Basic credentials of the helm repository Secret serving the registry when there is
 * one, anonymously otherwise; a Basic challenge gets those credentials themselves. Plain HTTP
 * only for loopback hosts (ref.ts).
 */
import { createHash } from 'node:crypto';
import { download, get, statusText, type Answer, type Download, type GetOptions } from './http.js';
import { isLoopbackHost, isSha256Digest, redactUrl, type OciChartRepo } from './ref.js';
import { anonymousAccess, refusedWith, type ChartAccess } from './repo-auth.js';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const HELM_CHART_LAYER = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
/** What Helm pushed before the media type above was registered; Helm still reads it. */
const LEGACY_CHART_LAYER = 'application/tar+gzip';

export interface OciLimits {
  readonly timeoutMs: number;
  /** Largest tag-list page, manifest or token answer read (default 4 MiB). */
  readonly maxDocumentBytes?: number;
  /** Tag-list pages followed (default 50). */
  readonly maxTagPages?: number;
  /** Tags read in all (default 10,000). */
  readonly maxTags?: number;
}

export type OciFailure = { readonly ok: false; readonly notFound: boolean; readonly message: string };

export interface ChartManifest {
  /** `sha256:<hex>` of the manifest. */
  readonly manifestDigest: string;
  /** The chart layer: the archive's digest and size. */
  readonly digest: string;
  readonly size: number;
}

interface Token {
  readonly value: string;
  readonly expiresAt: number;
}

const MAX_TOKENS = 256;
/** Stands for "the Secret's Basic credentials" among the tokens. */
const basicToken = 'basic';

export class OciClient {
  /** Tokens by registry and repository (repo.key names the Secret they were asked with). */
  private readonly tokens = new Map<string, Token>();
  private readonly maxDocumentBytes: number;

  constructor(private readonly limits: OciLimits) {
    this.maxDocumentBytes = limits.maxDocumentBytes ?? 4 * 1024 * 1024;
  }

  /** Every tag of the repository, in the registry's order. */
  async listTags(repo: OciChartRepo, access: ChartAccess = anonymousAccess(repo.origin)): Promise<{ ok: true; tags: string[] } | OciFailure> {
    const maxPages = this.limits.maxTagPages ?? 50;
    const maxTags = this.limits.maxTags ?? 10_000;
    const tags: string[] = [];
    const seen = new Set<string>();
    let next: string | undefined = `${repo.origin}/v2/${repo.name}/tags/list`;
    for (let page = 0; next !== undefined; page++) {
      if (page >= maxPages) return failure(false, `${repo.display}: the tag list has more than ${maxPages} pages`);
      seen.add(next);
      const answer = await this.request(repo, access, next, { accept: 'application/json' });
      if (!answer.ok) return answer;
      if (answer.status !== 200) return failure(answer.status === 404, `${repo.display}: listing tags answered ${statusLine(answer)}`);
      const listed = parseJson(answer.body);
      const pageTags = isObject(listed) ? listed.tags : undefined;
      if (pageTags !== undefined && pageTags !== null && !Array.isArray(pageTags)) return failure(false, `${repo.display}: the tag list is not a list`);
      for (const tag of (pageTags ?? []) as unknown[]) if (typeof tag === 'string') tags.push(tag);
      if (tags.length > maxTags) return failure(false, `${repo.display} has more than ${maxTags} tags`);
      next = nextPage(answer.headers.get('link'), answer.url);
      if (next !== undefined && (new URL(next).origin !== repo.origin || seen.has(next))) {
        return failure(false, `${repo.display}: the tag list points to ${redactUrl(next)}, which is not a next page on this registry`);
      }
    }
    return { ok: true, tags };
  }

  /** The chart layer of the image manifest `tag` names. */
  async chartManifest(repo: OciChartRepo, tag: string, access: ChartAccess = anonymousAccess(repo.origin)): Promise<({ ok: true } & ChartManifest) | OciFailure> {
    const answer = await this.request(repo, access, `${repo.origin}/v2/${repo.name}/manifests/${tag}`, { accept: OCI_MANIFEST });
    if (!answer.ok) return answer;
    const where = `${repo.display}:${tag}`;
    if (answer.status !== 200) return failure(answer.status === 404, `${where}: the manifest answered ${statusLine(answer)}`);
    const manifestDigest = `sha256:${createHash('sha256').update(answer.body).digest('hex')}`;
    const said = answer.headers.get('docker-content-digest');
    if (said !== null && said.startsWith('sha256:') && said !== manifestDigest) {
      return failure(false, `${where}: the manifest's digest is ${manifestDigest}, not ${said} as the registry says`);
    }
    const manifest = parseJson(answer.body);
    if (!isObject(manifest) || manifest.schemaVersion !== 2) return failure(false, `${where} is not an OCI image manifest`);
    if (manifest.mediaType !== undefined && manifest.mediaType !== OCI_MANIFEST) {
      return failure(false, `${where} is a ${typeof manifest.mediaType === 'string' ? manifest.mediaType.slice(0, 100) : 'manifest of no known type'}, not a Helm chart`);
    }
    const layers = Array.isArray(manifest.layers) ? (manifest.layers as unknown[]).filter(isObject) : [];
    const layer = layers.find((l) => l.mediaType === HELM_CHART_LAYER) ?? layers.find((l) => l.mediaType === LEGACY_CHART_LAYER);
    if (layer === undefined) return failure(false, `${where} has no layer of type ${HELM_CHART_LAYER}: it is not a Helm chart`);
    const { digest, size } = layer;
    if (typeof digest !== 'string' || !isSha256Digest(digest)) return failure(false, `${where}: the chart layer has no sha256 digest`);
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return failure(false, `${where}: the chart layer has no size`);
    return { ok: true, manifestDigest, digest, size };
  }

  /** Downloads blob `digest` into `file` (created new); the caller checks the digest it returns. */
  async downloadBlob(repo: OciChartRepo, digest: string, file: string, maxBytes: number, access: ChartAccess = anonymousAccess(repo.origin)): Promise<Download> {
    const url = `${repo.origin}/v2/${repo.name}/blobs/${digest}`;
    const first = await download(url, file, this.options(repo, access, maxBytes, {}));
    if (first.ok || first.status !== 401) return first;
    const got = await this.authenticate(repo, access, first.challenge ?? null);
    if (!got.ok) return got;
    const again = await download(url, file, this.options(repo, access, maxBytes, {}));
    return !again.ok && again.status === 401 ? refused(repo, access) : again;
  }

  /** GET with the repository's token (or Basic credentials), getting one on a challenge. */
  private async request(repo: OciChartRepo, access: ChartAccess, url: string, headers: Record<string, string>): Promise<({ ok: true } & Answer) | OciFailure> {
    const first = await this.send(repo, access, url, headers);
    if (!first.ok || first.status !== 401) return first;
    const got = await this.authenticate(repo, access, first.headers.get('www-authenticate'));
    if (!got.ok) return got;
    const again = await this.send(repo, access, url, headers);
    return again.ok && again.status === 401 ? refused(repo, access) : again;
  }

  private async send(repo: OciChartRepo, access: ChartAccess, url: string, headers: Record<string, string>): Promise<({ ok: true } & Answer) | OciFailure> {
    const answer = await get(url, this.options(repo, access, this.maxDocumentBytes, headers));
    return answer.ok ? answer : failure(false, answer.message);
  }

  /** Answers a challenge: Basic takes the Secret's credentials as they are, Bearer a token asked for with them. */
  private async authenticate(repo: OciChartRepo, access: ChartAccess, challenge: string | null): Promise<{ ok: true } | OciFailure> {
    const bearer = challenge === null ? undefined : parseBearerChallenge(challenge);
    if (bearer === undefined) {
      const basic = challenge !== null && /^\s*basic\b/i.test(challenge);
      if (basic && access.authorization?.startsWith('Basic ') === true) {
        this.keepToken(repo.key, { basic: true }, 300);
        return { ok: true };
      }
      const wants = challenge === null ? 'no challenge' : `${challenge.split(' ')[0] ?? ''} authentication`;
      return failure(false, `${repo.display}: the registry wants credentials (${wants})${access.identity === '' ? ', and no helm repository Secret serves it' : `, which the ${access.identity.replace(' ', ' Secret ')} does not give`}`);
    }
    let realm: URL;
    try {
      realm = new URL(bearer.realm);
    } catch {
      return failure(false, `${repo.display}: the registry's token realm is not a URL`);
    }
    if (realm.protocol !== 'https:' && !(realm.protocol === 'http:' && isLoopbackHost(realm.hostname))) {
      return failure(false, `${repo.display}: the registry's token realm ${redactUrl(realm.toString())} is not https`);
    }
    if (bearer.service !== undefined) realm.searchParams.set('service', bearer.service);
    realm.searchParams.set('scope', bearer.scope ?? `repository:${repo.name}:pull`);
    // The token service is asked with the Secret's Basic credentials (as docker and helm do), over the Secret's TLS settings.
    const credentials: Record<string, string> = access.authorization?.startsWith('Basic ') === true ? { authorization: access.authorization } : {};
    const tokenOptions = { ...this.options(undefined, access, 64 * 1024, { accept: 'application/json', ...credentials }) };
    const answer = await get(realm.toString(), tokenOptions);
    const what = access.identity === '' ? 'an anonymous token' : `a token with the ${access.identity.replace(' ', ' Secret ')}`;
    if (!answer.ok) return failure(false, `${repo.display}: getting ${what} failed: ${answer.message}`);
    if (answer.status !== 200) return failure(false, `${repo.display}: the registry gives no ${what.replace(/^an? /, '')} (${statusLine(answer)})${refusedWith(answer.status, access)}`);
    const body = parseJson(answer.body);
    const value = isObject(body) ? (typeof body.token === 'string' && body.token !== '' ? body.token : body.access_token) : undefined;
    if (typeof value !== 'string' || value === '' || !/^[\x21-\x7e]+$/.test(value)) return failure(false, `${repo.display}: the token service answered no token`);
    const expiresIn = isObject(body) && typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60;
    this.keepToken(repo.key, { bearer: value }, expiresIn);
    return { ok: true };
  }

  /** `basic`: the registry takes Basic credentials, sent as the Secret has them at each request (a rotated one at once). */
  private keepToken(key: string, token: { bearer: string } | { basic: true }, expiresInSeconds: number): void {
    // Kept a little shorter than it lasts, and never longer than five minutes.
    const lifetimeMs = Math.min(expiresInSeconds, 300) * 1000 * 0.9;
    if (this.tokens.size >= MAX_TOKENS) this.tokens.delete(this.tokens.keys().next().value ?? '');
    this.tokens.set(key, { value: 'bearer' in token ? `Bearer ${token.bearer}` : basicToken, expiresAt: performance.now() + lifetimeMs });
  }

  private cachedToken(repo: OciChartRepo): string | undefined {
    const token = this.tokens.get(repo.key);
    if (token === undefined) return undefined;
    if (token.expiresAt > performance.now()) return token.value;
    this.tokens.delete(repo.key);
    return undefined;
  }

  /** Request options, with the repository's token when it has one (`repo` undefined: none) and the Secret's TLS settings. */
  private options(repo: OciChartRepo | undefined, access: ChartAccess, maxBytes: number, headers: Record<string, string>): GetOptions {
    const token = repo === undefined ? undefined : this.cachedToken(repo);
    const authorization = token === basicToken ? access.authorization : token;
    const withToken = authorization === undefined ? headers : { ...headers, authorization };
    return { maxBytes, timeoutMs: this.limits.timeoutMs, headers: withToken, allowUrl: plainHttpOnlyToLoopback, ...(access.tls === undefined ? {} : { tls: access.tls }) };
  }
}

/** `Bearer realm="…",service="…",scope="…"`: the parameters, or undefined when it is no Bearer challenge. */
export function parseBearerChallenge(header: string): { realm: string; service?: string; scope?: string } | undefined {
  const m = /^\s*bearer\s+(.*)$/is.exec(header);
  if (m === null) return undefined;
  const params = new Map<string, string>();
  for (const p of (m[1] ?? '').matchAll(/([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g)) {
    params.set((p[1] ?? '').toLowerCase(), p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : (p[3] ?? ''));
  }
  const realm = params.get('realm');
  if (realm === undefined || realm === '') return undefined;
  const service = params.get('service');
  const scope = params.get('scope');
  return { realm, ...(service === undefined ? {} : { service }), ...(scope === undefined ? {} : { scope }) };
}

/** The `rel="next"` target of a Link header, resolved against the page it came with. */
export function nextPage(link: string | null, pageUrl: string): string | undefined {
  if (link === null) return undefined;
  for (const part of link.split(',')) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (m !== null && /(?:^|;)\s*rel\s*=\s*"?next"?\s*(?:;|$)/i.test(m[2] ?? '')) {
      try {
        return new URL(m[1] ?? '', pageUrl).toString();
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function plainHttpOnlyToLoopback(url: URL): string | undefined {
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) return undefined;
  return `${redactUrl(url.toString())}: registries are reached over https (plain http only on loopback)`;
}

function statusLine(answer: Answer): string {
  const body = parseJson(answer.body);
  const errors = isObject(body) && Array.isArray(body.errors) ? (body.errors as unknown[]).filter(isObject) : [];
  const first = errors[0];
  const code = first !== undefined && typeof first.code === 'string' ? ` ${first.code.slice(0, 50)}` : '';
  return `${statusText({ status: answer.status })}${code}`;
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function refused(repo: OciChartRepo, access: ChartAccess): OciFailure {
  if (access.identity === '') return failure(false, `${repo.display}: the registry refused anonymous access (it may not exist, or need a helm repository Secret)`);
  return failure(false, `${repo.display}: the registry refused the credentials of the ${access.identity.replace(' ', ' Secret ')}`);
}

function failure(notFound: boolean, message: string): OciFailure {
  return { ok: false, notFound, message };
}
