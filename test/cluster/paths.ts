import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Where a control plane keeps its state: certificates, etcd data, logs, pids and the kubeconfig. */
export interface StatePaths {
  readonly root: string;
  readonly stateFile: string;
  readonly lockFile: string;
  readonly kubeconfig: string;
  readonly pki: string;
  readonly etcdData: string;
  readonly logs: string;
  readonly work: string;
}

export function defaultStateDir(): string {
  return process.env['CAPSTAN_CLUSTER_DIR'] ?? join(repoRoot, '.capstan', 'cluster');
}

export function statePaths(root: string = defaultStateDir()): StatePaths {
  const dir = resolve(root);
  return {
    root: dir,
    stateFile: join(dir, 'state.json'),
    lockFile: `${dir}.lock`,
    kubeconfig: join(dir, 'kubeconfig'),
    pki: join(dir, 'pki'),
    etcdData: join(dir, 'etcd'),
    logs: join(dir, 'logs'),
    work: join(dir, 'work'),
  };
}
