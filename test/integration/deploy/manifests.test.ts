// Issue 5, acceptance 1 and 5: deploy/ renders and is accepted by the API server; the
// production-dependency build (what the image holds) starts and answers, and holds the dashboard's
// browser app.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import yaml from 'js-yaml';
import type { KubeObject } from '../../../src/api/object.js';
import { repoRoot } from '../../cluster/paths.js';
import { kubectl } from '../support/capstan.js';
import { testKubeConfig, testKubeconfigPath } from '../support/kube.js';

function rendered(): KubeObject[] {
  return yaml.loadAll(kubectl('kustomize', join(repoRoot, 'deploy'))) as KubeObject[];
}

/** Kind, namespace (when set) and name of a rendered object. */
function identify(o: KubeObject): string {
  return `${o.kind} ${o.metadata.namespace === undefined ? '' : `${o.metadata.namespace}/`}${o.metadata.name ?? ''}`;
}

/** How kubectl names an object in its output: lower-case kind, its API group, and its name. */
function kubectlName(o: KubeObject): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] ?? '' : '';
  return `${o.kind.toLowerCase()}${group === '' ? '' : `.${group}`}/${o.metadata.name ?? ''}`;
}

const packaged = mkdtempSync(join(tmpdir(), 'capstan-package-'));
afterAll(() => {
  rmSync(packaged, { recursive: true, force: true });
});

describe('deploy/', () => {
  it('renders with kubectl kustomize and passes a server-side dry-run apply', async () => {
    const objects = rendered();
    expect(objects.map(identify).sort()).toEqual([
      'ClusterRole capstan-applier',
      'ClusterRole capstan-applier-impersonate',
      'ClusterRole capstan-applier-workloads',
      'ClusterRoleBinding capstan-applier',
      'CustomResourceDefinition applications.capstan.dev',
      'CustomResourceDefinition appprojects.capstan.dev',
      'Deployment capstan/capstan-controller',
      'Namespace capstan',
      'NetworkPolicy capstan/capstan-controller',
      'PodDisruptionBudget capstan/capstan-controller',
      'Role capstan/capstan-controller',
      'RoleBinding capstan/capstan-controller',
      'Service capstan/capstan-metrics',
      'Service capstan/capstan-webhook',
      'ServiceAccount capstan/capstan-controller',
    ]);
    const core = testKubeConfig().makeApiClient(CoreV1Api);
    // A dry run does not create the namespace its namespaced objects go to.
    const hadNamespace = await core.readNamespace({ name: 'capstan' }).then(() => true, () => false);
    if (!hadNamespace) await core.createNamespace({ body: { metadata: { name: 'capstan' } } });
    try {
      const out = execFileSync('kubectl', ['--kubeconfig', testKubeconfigPath(), 'apply', '--server-side', '--dry-run=server', '-k', join(repoRoot, 'deploy')], { encoding: 'utf8' });
      // kubectl names each object it applied as resource[.group]/name: every rendered object, accepted.
      expect(out.trim().split('\n').sort()).toEqual(objects.map((o) => `${kubectlName(o)} serverside-applied (server dry run)`).sort());
    } finally {
      if (!hadNamespace) await core.deleteNamespace({ name: 'capstan' }).catch(() => undefined);
    }
  });

  it('runs two hardened replicas with leader election, probes and resource limits', () => {
    const deployment = rendered().find((o) => o.kind === 'Deployment') as KubeObject & {
      spec: { replicas: number; strategy: unknown; template: { spec: { securityContext: Record<string, unknown>; containers: Record<string, unknown>[] } } };
    };
    expect(deployment.spec.replicas).toBe(2);
    // Standbys are Ready, so a rollout may surge a new pod before it removes an old one.
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    const container = pod.containers[0] ?? {};
    expect(container['args']).toEqual(expect.arrayContaining(['--leader-elect', '--metrics-addr=:8080', '--webhook-addr=:8081']));
    expect(container['securityContext']).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(container).toHaveProperty('livenessProbe.httpGet.path', '/healthz');
    expect(container).toHaveProperty('readinessProbe.httpGet.path', '/readyz');
    expect(container).toHaveProperty('resources.requests.memory');
    expect(container).toHaveProperty('resources.limits.memory');
    expect(container).toHaveProperty('resources.limits.ephemeral-storage');
    expect(pod).toHaveProperty('affinity.podAntiAffinity');
  });

  it('keeps one replica through a drain and lets only labelled namespaces reach /metrics', () => {
    const objects = rendered();
    const budget = objects.find((o) => o.kind === 'PodDisruptionBudget') as KubeObject & { spec: Record<string, unknown> };
    expect(budget.spec).toMatchObject({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/component': 'controller' } } });
    const policy = objects.find((o) => o.kind === 'NetworkPolicy') as KubeObject & { spec: { ingress: { from?: unknown[]; ports: { port: string }[] }[] } };
    const metrics = policy.spec.ingress.find((rule) => rule.ports.some((p) => p.port === 'metrics'));
    expect(metrics?.from).toEqual([{ namespaceSelector: { matchLabels: { 'capstan.dev/scrape-metrics': 'true' } } }]);
  });
});

describe('the production build', () => {
  it('assembles with production dependencies only and the dashboard app, and answers --version and controller --help', () => {
    execFileSync('bash', [join(repoRoot, 'scripts', 'package.sh'), packaged], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    const devOnly = ['jest', 'typescript', 'eslint', 'tsx', '@swc/core'];
    for (const dep of devOnly) expect(() => readFileSync(join(packaged, 'node_modules', dep, 'package.json'))).toThrow();
    const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
    const main = join(packaged, 'dist', 'cli', 'main.js');
    expect(execFileSync(process.execPath, [main, '--version'], { cwd: packaged, encoding: 'utf8' }).trim()).toBe(version);
    const help = execFileSync(process.execPath, [main, 'controller', '--help'], { cwd: packaged, encoding: 'utf8' });
    for (const flag of ['--kubeconfig', '--namespace', '--watch-namespace', '--interval', '--leader-elect', '--metrics-addr', '--webhook-addr']) expect(help).toContain(flag);
    // The dashboard's browser app, built by Vite, is served from dist/dashboard-ui.
    expect(existsSync(join(packaged, 'dist', 'dashboard-ui', 'index.html'))).toBe(true);
    const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('RUN bash scripts/package.sh /app');
    expect(dockerfile.indexOf('RUN npm run build:dashboard')).toBeGreaterThan(dockerfile.indexOf('RUN npm ci'));
  });
});
