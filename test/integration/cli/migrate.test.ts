// `capstan migrate --from argocd --dry-run` against the real control plane: an Argo CD namespace
// with argocd-cm, an Application whose ConfigMap Argo CD already applied (its tracking annotation,
// equal to Git) and one using spec.info. The first reports no change, the second is refused naming
// spec.info (exit code 1); without it, exit code 0. Nothing in the cluster is written.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { installArgoCdCrds } from '../support/argocd.js';
import { capstanCli, kubectl, kubectlApply } from '../support/capstan.js';
import { TestRepo } from '../support/git-repo.js';
import { createNamespace, deleteNamespace, testKubeConfig, uniqueName } from '../support/kube.js';
import { configMap } from '../support/manifests.js';

const kc = testKubeConfig();
const argocdNs = uniqueName('argocd-migrate');
const dest = uniqueName('migrate-dest');
// Unique app names: under annotation tracking, an app of another Argo CD namespace with the same name reads the same tracking id.
const guestbook = uniqueName('guestbook');
const informed = uniqueName('informed');
const repo = new TestRepo();
const cacheDir = `${repo.dir}-cache`;

const resourceVersion = (namespace: string, resource: string, name: string): string =>
  kubectl('-n', namespace, 'get', resource, name, '-o', 'jsonpath={.metadata.resourceVersion}');

const argoApplication = (name: string, path: string, extra: Record<string, unknown> = {}): object => ({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: argocdNs },
  spec: {
    project: 'default', source: { repoURL: repo.url, path, targetRevision: 'HEAD' },
    destination: { server: 'https://kubernetes.default.svc', namespace: dest },
    syncPolicy: { automated: { prune: true, selfHeal: true } },
    ...extra,
  },
});

const migrate = (...extra: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  capstanCli(['migrate', '--from', 'argocd', '--dry-run', '--namespace', argocdNs, '--allow-local-repos', '--cache-dir', cacheDir, ...extra]);

beforeAll(async () => {
  await installArgoCdCrds();
  await createNamespace(kc, argocdNs);
  await createNamespace(kc, dest);
});
afterAll(async () => {
  await deleteNamespace(kc, argocdNs);
  await deleteNamespace(kc, dest);
  repo.destroy();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('capstan migrate --from argocd --dry-run', () => {
  it('reports what the take-over would do, names unsupported fields, and writes nothing', async () => {
    repo.write('guestbook/settings.yaml', configMap('settings', { mode: 'blue' })).write('informed/info.yaml', configMap('info'));
    repo.commit('guestbook and informed');
    // What Argo CD left: the settings as Git has them, tracked by Argo CD's annotation.
    kubectlApply({
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: dest, annotations: { 'argocd.argoproj.io/tracking-id': `${guestbook}:/ConfigMap:${dest}/settings` } },
      data: { mode: 'blue' },
    });
    kubectlApply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: argocdNs }, data: { url: 'https://argocd.example.com' } });
    kubectlApply(argoApplication(guestbook, 'guestbook'));
    kubectlApply(argoApplication(informed, 'informed', { info: [{ name: 'owner', value: 'team-a' }] }));
    const before = {
      settings: resourceVersion(dest, 'configmap', 'settings'),
      guestbook: resourceVersion(argocdNs, 'applications.argoproj.io', guestbook),
      informed: resourceVersion(argocdNs, 'applications.argoproj.io', informed),
    };

    const refused = await migrate();
    // stderr only says that capstan-config (plugins) is absent.
    expect(refused.stderr).not.toMatch(/error|fail/i);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('argocd-cm: tracking by annotation; 0 keys Capstan does not carry out, 1 ignored');
    expect(refused.stdout).toContain(`- ${guestbook} (project default) → https://kubernetes.default.svc/${dest}\n  source: ${repo.url} guestbook@HEAD\n` +
      '  first reconcile: 0 to create, 0 to update, 0 to prune\n    taken over with no write (equal to Git): 1\n');
    expect(refused.stdout).toContain(`- ${informed} (project default)`);
    expect(refused.stdout).toContain('  would be refused (InvalidSpec): Argo CD fields Capstan does not carry out; nothing compared\n    spec.info: ');
    expect(refused.stdout).toContain('\n2 applications, 0 would change, 1 unsupported fields\n');

    const json = await migrate('-o', 'json');
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as { applications: { name: string; outcome: { outcome: string; create?: { count: number }; update?: { count: number }; prune?: { count: number }; unsupported?: { path: string }[] } }[] };
    const byName = new Map(parsed.applications.map((a) => [a.name, a.outcome]));
    expect(byName.get(guestbook)).toMatchObject({ outcome: 'compared', create: { count: 0 }, update: { count: 0 }, prune: { count: 0 } });
    expect(byName.get(informed)?.unsupported?.map((u) => u.path)).toEqual(['spec.info']);

    kubectl('-n', argocdNs, 'delete', 'applications.argoproj.io', informed, '--wait=true');
    const clean = await migrate();
    expect(clean.stdout).toContain('\n1 applications, 0 would change, 0 unsupported fields\n');
    expect(clean.code).toBe(0);

    // Git moves on: the first reconcile would update the settings and create a new ConfigMap (dry runs only).
    repo.write('guestbook/settings.yaml', configMap('settings', { mode: 'green' })).write('guestbook/extra.yaml', configMap('extra'));
    repo.commit('green, extra');
    const changed = await migrate();
    expect(changed.stdout).toContain(`  first reconcile: 1 to create, 1 to update, 0 to prune\n`);
    expect(changed.stdout).toContain(`    create 1:\n      ConfigMap ${dest}/extra\n    update 1:\n      ConfigMap ${dest}/settings\n`);
    expect(changed.stdout).toContain('\n1 applications, 1 would change, 0 unsupported fields\n');
    expect(changed.code).toBe(1);

    // Read only: the adopted ConfigMap and the remaining Application are as they were; nothing was created.
    expect(resourceVersion(dest, 'configmap', 'settings')).toBe(before.settings);
    expect(resourceVersion(argocdNs, 'applications.argoproj.io', guestbook)).toBe(before.guestbook);
    expect(before.informed).not.toBe('');
    expect(kubectl('-n', dest, 'get', 'configmap', 'info', 'extra', '--ignore-not-found', '-o', 'name').trim()).toBe('');
  });

  it('refuses to run without --dry-run, pointing to the controller', async () => {
    const result = await capstanCli(['migrate', '--from', 'argocd', '--namespace', argocdNs]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--argocd-compat');
    expect(result.stdout).toBe('');
  });
});
