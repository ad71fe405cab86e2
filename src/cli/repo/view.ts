/**
 * The rows of `capstan repo list` (pure): what each repository Secret is for and how it
 * authenticates, never a value of it but its URL (with any credentials in the URL redacted).
 */
import type { KubeObject } from '../../api/object.js';
import { credentialKindOf, parseRepoSecret } from '../../credentials/repo-secret.js';
import { authKinds } from '../../credentials/types.js';
import { redactUrl } from '../../git/url.js';
import { emptyCell } from '../output/table.js';

export interface RepoRow {
  readonly url: string;
  readonly type: string;
  readonly kind: string;
  readonly username: 'yes' | 'no';
  readonly auth: string;
  readonly secret: string;
  /** Why the controller ignores it, when it does. */
  readonly problem?: string;
}

export const repoColumns = ['url', 'type', 'kind', 'username', 'auth', 'secret', 'problem'] as const;

export function repoRows(secrets: readonly KubeObject[]): RepoRow[] {
  return secrets
    .filter((s) => credentialKindOf(s) !== undefined)
    .map((secret): RepoRow => {
      const parsed = parseRepoSecret(secret);
      const name = secret.metadata.name ?? '';
      if (!parsed.ok) return { url: parsed.url === undefined ? emptyCell : redactUrl(parsed.url), type: emptyCell, kind: parsed.kind, username: 'no', auth: emptyCell, secret: name, problem: parsed.reason };
      const c = parsed.credential;
      const auth = authKinds(c);
      return { url: redactUrl(c.url), type: c.type, kind: c.kind, username: c.username === undefined ? 'no' : 'yes', auth: auth.length === 0 ? 'none' : auth.join(','), secret: name };
    })
    .sort((a, b) => a.url.localeCompare(b.url) || a.secret.localeCompare(b.secret));
}
