// deploy/optional/dashboard: renders and is accepted by the API server; runs `capstan dashboard
// --auth token` hardened like the controller; its ServiceAccount may do nothing at all, and the
// example viewer and operator ClusterRoles grant what their names say.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import yaml from 'js-yaml';
import type { KubeObject } from '../../../src/api/object.js';
import { repoRoot } from '../../cluster/paths.js';
import { type AccessQuestion, answersOtherThan } from '../support/access-review.js';
import { installCrd, kubectl } from '../support/capstan.js';
import { applyObjects } from '../support/deploy-rbac.js';
import { createNamespace, deleteNamespace, eventually, testKubeConfig, testKubeconfigPath, uniqueName } from '../support/kube.js';

const folder = join(repoRoot, 'deploy', 'optional', 'dashboard');

interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  securityContext?: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string }[];
  [field: string]: unknown;
}
interface PodSpec {
  serviceAccountName?: string;
  securityContext?: Record<string, unknown>;
  containers: Container[];
  volumes?: { name: string; emptyDir?: Record<string, unknown> }[];
}
type Deployment = KubeObject & { spec: { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } } };
interface Rule { apiGroups: string[]; resources: string[]; verbs: string[] }
type ClusterRole = KubeObject & { rules: Rule[] };

function render(path: string): KubeObject[] {
  return yaml.loadAll(kubectl('kustomize', path)) as KubeObject[];
}

function find(objects: readonly KubeObject[], kind: string, name: string): KubeObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (found === undefined) throw new Error(`no ${kind} ${name} among the rendered objects`);
  return found;
}

function identify(o: KubeObject): string {
  return `${o.kind} ${o.metadata.namespace === undefined ? '' : `${o.metadata.namespace}/`}${o.metadata.name ?? ''}`;
}

function kubectlName(o: KubeObject): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] ?? '' : '';
  return `${o.kind.toLowerCase()}${group === '' ? '' : `.${group}`}/${o.metadata.name ?? ''}`;
}

/** Each rule as one "group resource verb" line per combination: rules compared as sets of rights. */
function rights(rules: readonly Rule[]): string[] {
  return [...new Set(rules.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => `${g} ${res} ${v}`)))))].sort();
}

function dashboardContainer(objects: readonly KubeObject[]): Container {
  const container = (find(objects, 'Deployment', 'capstan-dashboard') as Deployment).spec.template.spec.containers[0];
  if (container === undefined) throw new Error('the dashboard Deployment has no container');
  return container;
}

const objects = render(folder);

describe('deploy/optional/dashboard', () => {
  it('renders with kubectl kustomize, binds no role, and passes a server-side dry-run apply', async () => {
    expect(objects.map(identify).sort()).toEqual([
      'ClusterRole capstan-dashboard-operator',
      'ClusterRole capstan-dashboard-viewer',
      'Deployment capstan/capstan-dashboard',
      'NetworkPolicy capstan/capstan-dashboard',
      'Service capstan/capstan-dashboard',
      'ServiceAccount capstan/capstan-dashboard',
    ]);
    const core = testKubeConfig().makeApiClient(CoreV1Api);
    // A dry run does not create the namespace its namespaced objects go to.
    const hadNamespace = await core.readNamespace({ name: 'capstan' }).then(() => true, () => false);
    if (!hadNamespace) await core.createNamespace({ body: { metadata: { name: 'capstan' } } });
    try {
      const out = execFileSync('kubectl', ['--kubeconfig', testKubeconfigPath(), 'apply', '--server-side', '--dry-run=server', '-k', folder], { encoding: 'utf8' });
      expect(out.trim().split('\n').sort()).toEqual(objects.map((o) => `${kubectlName(o)} serverside-applied (server dry run)`).sort());
    } finally {
      if (!hadNamespace) await core.deleteNamespace({ name: 'capstan' }).catch(() => undefined);
    }
  });

  it('runs `capstan dashboard --auth token` on the controller image, non-root, with a read-only root file system', () => {
    const deployment = find(objects, 'Deployment', 'capstan-dashboard') as Deployment;
    const pod = deployment.spec.template.spec;
    expect(pod.serviceAccountName).toBe('capstan-dashboard');
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    const container = dashboardContainer(objects);
    const controller = (find(render(join(repoRoot, 'deploy')), 'Deployment', 'capstan-controller') as Deployment).spec.template.spec.containers[0];
    expect(container.image).toBe(controller?.image);
    expect([...(container.command ?? []), ...(container.args ?? [])].join(' ')).toContain('node /app/dist/cli/main.js dashboard --auth token --addr 0.0.0.0:8090');
    expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false, capabilities: { drop: ['ALL'] } });
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8090 }]);
    expect(container).toHaveProperty('livenessProbe.httpGet', { path: '/healthz', port: 'http' });
    expect(container).toHaveProperty('readinessProbe.httpGet', { path: '/healthz', port: 'http' });
    expect(container).toHaveProperty('resources.requests.cpu');
    expect(container).toHaveProperty('resources.requests.memory');
    expect(container).toHaveProperty('resources.limits.memory');
    const tmp = container.volumeMounts?.find((m) => m.mountPath === '/tmp');
    expect(pod.volumes?.find((v) => v.name === tmp?.name)).toHaveProperty('emptyDir');
    // The Service and the NetworkPolicy select the dashboard's pods and open its port only.
    const labels = deployment.spec.template.metadata.labels;
    expect(labels).toMatchObject(deployment.spec.selector.matchLabels);
    const service = find(objects, 'Service', 'capstan-dashboard') as KubeObject & { spec: { type: string; selector: Record<string, string>; ports: unknown[] } };
    expect(service.spec).toMatchObject({ type: 'ClusterIP', selector: deployment.spec.selector.matchLabels, ports: [{ name: 'http', port: 8090, targetPort: 'http' }] });
    const policy = find(objects, 'NetworkPolicy', 'capstan-dashboard') as KubeObject & { spec: { podSelector: { matchLabels: Record<string, string> }; ingress: { ports: { port: string }[] }[] } };
    expect(policy.spec.podSelector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(policy.spec.ingress.flatMap((rule) => rule.ports.map((p) => p.port))).toEqual(['http']);
  });

  it('has an operator role that is the viewer role plus patch on Applications', () => {
    const viewer = rights((find(objects, 'ClusterRole', 'capstan-dashboard-viewer') as ClusterRole).rules);
    const operator = rights((find(objects, 'ClusterRole', 'capstan-dashboard-operator') as ClusterRole).rules);
    expect(operator).toEqual([...viewer, 'capstan.dev applications patch'].sort());
  });
});

describe('deploy/optional/dashboard applied in a namespace', () => {
  const kc = testKubeConfig();
  const ns = uniqueName('dashboard');
  const role = (name: 'viewer' | 'operator'): string => `capstan-dashboard-${name}-${ns}`;
  /** The rendered objects in `ns`; the ClusterRoles renamed to role(), so no run shares them. */
  const relocated = JSON.parse(JSON.stringify(objects)
    .replace(/"namespace":"capstan"/g, `"namespace":"${ns}"`)
    .replace(/"capstan-dashboard-(viewer|operator)"/g, `"capstan-dashboard-$1-${ns}"`)) as KubeObject[];

  function userBoundTo(name: 'viewer' | 'operator'): KubeObject[] {
    return [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns } },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name, namespace: ns },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role(name) },
        subjects: [{ kind: 'ServiceAccount', name, namespace: ns }],
      },
    ];
  }

  const app = (verb: string): AccessQuestion => ({ verb, group: 'capstan.dev', resource: 'applications', namespace: ns });

  beforeAll(async () => {
    await installCrd();
    await createNamespace(kc, ns);
    applyObjects([...relocated, ...userBoundTo('viewer'), ...userBoundTo('operator')]);
  });

  afterAll(async () => {
    for (const name of ['viewer', 'operator'] as const) kubectl('delete', 'clusterrole', role(name), '--ignore-not-found');
    await deleteNamespace(kc, ns);
  });

  it('lets the dashboard ServiceAccount do nothing: no binding names it, and every review says no', async () => {
    const bindings = JSON.parse(kubectl('get', 'rolebindings,clusterrolebindings', '--all-namespaces', '-o', 'json')) as {
      items: { metadata: { name: string }; subjects?: { kind: string; name: string; namespace?: string }[] | null }[];
    };
    const naming = bindings.items.filter((b) => (b.subjects ?? []).some((s) => s.kind === 'ServiceAccount' && s.name === 'capstan-dashboard' && s.namespace === ns));
    expect(naming.map((b) => b.metadata.name)).toEqual([]);
    const denied: AccessQuestion[] = [
      app('list'), app('get'), app('watch'), app('patch'),
      { verb: 'list', group: 'capstan.dev', resource: 'applications' },
      { verb: 'list', group: 'capstan.dev', resource: 'appprojects', namespace: ns },
      { verb: 'get', resource: 'secrets', namespace: ns },
      { verb: 'list', resource: 'secrets' },
      { verb: 'list', resource: 'pods', namespace: ns },
      { verb: 'list', resource: 'pods' },
      { verb: 'list', group: 'apps', resource: 'deployments', namespace: ns },
      { verb: 'create', resource: 'serviceaccounts', subresource: 'token', namespace: ns },
    ];
    expect(await answersOtherThan(kc, ns, 'capstan-dashboard', false, denied)).toEqual([]);
  });

  it('lets a ServiceAccount bound to the viewer role see Applications and their trees, and not patch them or read Secrets', async () => {
    const allowed: AccessQuestion[] = [
      app('get'), app('list'), app('watch'),
      { verb: 'list', group: 'capstan.dev', resource: 'appprojects', namespace: ns },
      { verb: 'get', group: 'apps', resource: 'deployments', namespace: ns },
      { verb: 'list', group: 'apps', resource: 'replicasets', namespace: ns },
      { verb: 'list', resource: 'pods', namespace: ns },
      { verb: 'list', resource: 'events', namespace: ns },
    ];
    // RBAC bindings reach the authorizer's cache shortly after they are created.
    await eventually('the viewer binding to take effect', async () => ((await answersOtherThan(kc, ns, 'viewer', true, allowed)).length === 0 ? true : undefined), 30_000);
    const denied: AccessQuestion[] = [
      app('patch'), app('update'), app('delete'), app('create'),
      { verb: 'get', resource: 'secrets', namespace: ns },
      { verb: 'list', resource: 'pods' },
    ];
    expect(await answersOtherThan(kc, ns, 'viewer', false, denied)).toEqual([]);
  });

  it('lets a ServiceAccount bound to the operator role patch Applications, and no more', async () => {
    await eventually('the operator binding to take effect', async () => ((await answersOtherThan(kc, ns, 'operator', true, [app('patch'), app('list')])).length === 0 ? true : undefined), 30_000);
    const denied: AccessQuestion[] = [
      app('update'), app('delete'), app('create'),
      { verb: 'patch', group: 'capstan.dev', resource: 'appprojects', namespace: ns },
      { verb: 'get', resource: 'secrets', namespace: ns },
      { verb: 'patch', group: 'apps', resource: 'deployments', namespace: ns },
    ];
    expect(await answersOtherThan(kc, ns, 'operator', false, denied)).toEqual([]);
  });
});
