// Sign-in with a bearer token: the API server says whose it is (SelfSubjectReview); the
// session's client then carries that token, and nothing of the server's own credentials.
import { KubeConfig } from '@kubernetes/client-node';
import { isRecord } from '../api/object.js';
import { AppClient } from '../cli/app/client.js';
import { isUnauthorized } from '../cluster/errors.js';

/** A kubeconfig of `base`'s current cluster (server, CA) with `token` as the only credential. */
export function tokenKubeConfig(base: KubeConfig, token: string): KubeConfig {
  const cluster = base.getCurrentCluster();
  if (cluster === null) throw new Error('kubeconfig has no current cluster');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ ...cluster, name: 'cluster' }],
    users: [{ name: 'user', token }],
    contexts: [{ name: 'user', cluster: 'cluster', user: 'user' }],
    currentContext: 'user',
  });
  return kc;
}

/** The user name the API server authenticates `client` as. */
export async function whoAmI(client: AppClient): Promise<string> {
  const review = await client.http.json({
    method: 'POST', path: '/apis/authentication.k8s.io/v1/selfsubjectreviews', verb: 'create',
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
  });
  const status = isRecord(review) ? review['status'] : undefined;
  const userInfo = isRecord(status) ? status['userInfo'] : undefined;
  const username = isRecord(userInfo) ? userInfo['username'] : undefined;
  if (typeof username !== 'string' || username === '') throw new Error('the API server did not say whose the token is');
  return username;
}

export type SignIn = { readonly ok: true; readonly user: string; readonly client: AppClient } | { readonly ok: false; readonly status: 400 | 401; readonly error: string };

/** Checks a bearer token with the API server; on success, a client that acts with it. */
export async function signInWithToken(base: KubeConfig, token: string): Promise<SignIn> {
  const trimmed = token.trim();
  if (trimmed === '' || /\s/.test(trimmed) || trimmed.length > 16_384) return { ok: false, status: 400, error: 'a bearer token is one line of text without spaces' };
  const client = new AppClient(tokenKubeConfig(base, trimmed));
  try {
    return { ok: true, user: await whoAmI(client), client };
  } catch (err) {
    client.close();
    if (isUnauthorized(err)) return { ok: false, status: 401, error: 'the API server did not accept this token' };
    throw err;
  }
}
