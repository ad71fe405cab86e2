import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Pinned versions of the local control plane, read from versions.env (shared with build.sh). */
export interface ClusterVersions {
  readonly kubernetes: string;
  readonly etcd: string;
  readonly kwok: string;
  readonly cacheKey: string;
}

/** Parses the KEY=VALUE lines of versions.env, expanding ${NAME} references to earlier keys. */
export function parseVersionsEnv(text: string): ClusterVersions {
  const values = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`versions.env: cannot parse line "${line}"`);
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1).replace(/\$\{(\w+)\}/g, (_, name: string) => values.get(name) ?? '');
    values.set(key, value);
  }
  const get = (key: string): string => {
    const value = values.get(key);
    if (value === undefined || value === '') throw new Error(`versions.env: ${key} is not set`);
    return value;
  };
  return {
    kubernetes: get('K8S_VERSION'),
    etcd: get('ETCD_VERSION'),
    kwok: get('KWOK_VERSION'),
    cacheKey: get('CLUSTER_CACHE_KEY'),
  };
}

export function readVersions(): ClusterVersions {
  return parseVersionsEnv(readFileSync(fileURLToPath(new URL('./versions.env', import.meta.url)), 'utf8'));
}
