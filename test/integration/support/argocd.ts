import { join } from 'node:path';
import { kubectl, waitForCrdsEstablished } from './capstan.js';
import { eventually } from './kube.js';

/** Installs (or updates) the test's Argo CD CRDs (test/fixtures/argocd) and waits until both kinds are served. */
export async function installArgoCdCrds(): Promise<void> {
  kubectl('apply', '--server-side', '--force-conflicts', '-f', join(process.cwd(), 'test', 'fixtures', 'argocd', 'crds.yaml'));
  await waitForCrdsEstablished('applications.argoproj.io', 'appprojects.argoproj.io');
  // Established is not yet served to every client: wait until discovery lists both kinds.
  await eventually('the Argo CD kinds to be served', () => {
    const served = kubectl('api-resources', '--api-group=argoproj.io');
    return Promise.resolve(served.includes('Application') && served.includes('AppProject') ? true : undefined);
  });
}

/** An Argo CD Application as the API server has it. */
export interface ArgoAppJson {
  metadata: { generation: number; resourceVersion: string; annotations?: Record<string, string>; finalizers?: string[] };
  status?: { sync?: { status?: string; revision?: string }; health?: { status?: string }; operationState?: { phase?: string; message?: string }; history?: { id: number; revision: string }[]; [key: string]: unknown };
}

export function argoApp(namespace: string, name: string): ArgoAppJson {
  return JSON.parse(kubectl('-n', namespace, 'get', 'applications.argoproj.io', name, '-o', 'json')) as ArgoAppJson;
}
