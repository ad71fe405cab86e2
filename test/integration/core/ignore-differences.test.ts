// spec.ignoreDifferences as Argo CD's users write it: a field another field manager changes,
// ignored by a jqPathExpressions rule, leaves the app Synced and is not reverted by self-heal;
// with RespectIgnoreDifferences=true a sync for another change keeps its live value; an
// expression that does not compile is refused by name, with nothing applied.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { Application } from '../../../src/api/application.js';
import { isSyncedHealthy, kubectl, readyCondition } from '../support/capstan.js';
import { eventually } from '../support/kube.js';
import { deployment } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';
import { settled } from '../support/settle.js';

// A poll interval of 10 minutes: anything that happens within the test is driven by watches and refreshes.
const s = new Scenario('ignorediff', { intervalMs: 600_000 });
let apps: AppsV1Api;
let core: CoreV1Api;

beforeAll(async () => {
  await s.setUp();
  apps = s.kc.makeApiClient(AppsV1Api);
  core = s.kc.makeApiClient(CoreV1Api);
});
afterAll(async () => {
  await s.tearDown();
});

const stampAnnotation = 'example.com/stamp';

/** The replicas and stamp annotation of Deployment web, and the app's sync status, as they are now. */
async function picture(app: string, namespace: string): Promise<{ replicas: number | undefined; stamp: string | undefined; release: string | undefined; sync: string | undefined }> {
  const web = await apps.readNamespacedDeployment({ name: 'web', namespace });
  const status = (await s.apps.mustGet(app)).status;
  return { replicas: web.spec?.replicas, stamp: web.metadata?.annotations?.[stampAnnotation], release: web.metadata?.annotations?.['example.com/release'], sync: status?.sync?.status };
}

function ignoring(...jqPathExpressions: string[]): Record<string, unknown> {
  return { ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jqPathExpressions }] };
}

/** Commits a new version of Deployment web and waits until the app has synced that commit. */
async function commitAndWaitForSync(app: string, dir: string, release: string): Promise<Application> {
  s.repo.write(`${dir}/web.yaml`, deployment('web', { replicas: 1, annotations: { [stampAnnotation]: 'git', 'example.com/release': release } }));
  const sha = s.repo.commit(`release ${release}`);
  s.apps.annotate(app, { 'capstan.dev/refresh': 'normal' });
  return s.apps.waitFor(app, `synced at ${sha}`, (a) =>
    a.status?.sync?.revision === sha && a.status.sync.status === 'Synced' && a.status.operationState?.phase === 'Succeeded' && a.status.operationState.revision === sha);
}

describe('ignoreDifferences', () => {
  it('a replica count and an annotation another field manager changes, ignored by jq expressions, stay Synced and are not reverted by self-heal', async () => {
    const dest = s.destination('jq');
    s.repo.write('jq/web.yaml', deployment('web', { replicas: 1, annotations: { [stampAnnotation]: 'git', 'example.com/release': 'one' } }));
    s.repo.commit('web');
    await s.apps.create('jq', {
      repoURL: s.repo.url, path: 'jq', destinationNamespace: dest, automated: { prune: true, selfHeal: true },
      extraSpec: ignoring('.spec.replicas', `.metadata.annotations."${stampAnnotation}"`),
    });
    await s.apps.waitFor('jq', 'Synced and Healthy', isSyncedHealthy);

    kubectl('-n', dest, 'scale', 'deployment/web', '--replicas=3');
    kubectl('-n', dest, 'annotate', '--overwrite', '--field-manager=stamper', 'deployment/web', `${stampAnnotation}=live`);
    const rest = await settled(s.apps, 'jq', () => picture('jq', dest));
    expect(rest).toEqual({ replicas: 3, stamp: 'live', release: 'one', sync: 'Synced' });
    const app = await s.apps.mustGet('jq');
    expect(app.status?.resources?.find((r) => r.kind === 'Deployment')).toMatchObject({ name: 'web', status: 'Synced' });
    expect(readyCondition(app)).toMatchObject({ status: 'True', reason: 'Synced' });
    expect((await s.apps.events('jq')).filter((e) => e.reason === 'DriftCorrected')).toEqual([]);

    // Without RespectIgnoreDifferences, a sync for another change applies Git's values of the ignored fields too (as Argo CD).
    await commitAndWaitForSync('jq', 'jq', 'two');
    expect(await picture('jq', dest)).toEqual({ replicas: 1, stamp: 'git', release: 'two', sync: 'Synced' });
  });

  it('with RespectIgnoreDifferences=true, a sync for a Git change to another field keeps the live values of the ignored fields', async () => {
    const dest = s.destination('respect');
    s.repo.write('respect/web.yaml', deployment('web', { replicas: 1, annotations: { [stampAnnotation]: 'git', 'example.com/release': 'one' } }));
    s.repo.commit('web');
    await s.apps.create('respect', {
      repoURL: s.repo.url, path: 'respect', destinationNamespace: dest, automated: { prune: true, selfHeal: true },
      syncOptions: ['CreateNamespace=true', 'RespectIgnoreDifferences=true'],
      extraSpec: ignoring('.spec.replicas', `.metadata.annotations."${stampAnnotation}"`),
    });
    await s.apps.waitFor('respect', 'Synced and Healthy', isSyncedHealthy);

    kubectl('-n', dest, 'scale', 'deployment/web', '--replicas=3');
    kubectl('-n', dest, 'annotate', '--overwrite', '--field-manager=stamper', 'deployment/web', `${stampAnnotation}=live`);
    expect(await settled(s.apps, 'respect', () => picture('respect', dest))).toEqual({ replicas: 3, stamp: 'live', release: 'one', sync: 'Synced' });

    const app = await commitAndWaitForSync('respect', 'respect', 'two');
    expect(await picture('respect', dest)).toEqual({ replicas: 3, stamp: 'live', release: 'two', sync: 'Synced' });
    expect(app.status?.operationState?.resources?.find((r) => r.kind === 'Deployment')).toMatchObject({ name: 'web', action: 'configured' });
    // And it stays so: nothing is left to do, nothing is reverted.
    expect(await settled(s.apps, 'respect', () => picture('respect', dest))).toEqual({ replicas: 3, stamp: 'live', release: 'two', sync: 'Synced' });
  });

  it('refuses an expression that does not compile, naming its field, and applies nothing', async () => {
    const dest = s.destination('badjq');
    s.repo.write('badjq/web.yaml', deployment('web'));
    s.repo.commit('web');
    await s.apps.create('badjq', { repoURL: s.repo.url, path: 'badjq', destinationNamespace: dest, extraSpec: ignoring('.spec.replicas', '.spec | |') });
    const app = await s.apps.waitFor('badjq', 'Ready=False InvalidSpec', (a) => readyCondition(a)?.reason === 'InvalidSpec');
    expect(readyCondition(app)?.message).toContain('spec.ignoreDifferences[0].jqPathExpressions[1]: syntax error');
    expect(readyCondition(app)?.message).toMatch(/nothing was applied$/);
    const warning = await eventually('a Warning Event InvalidSpec', async () => (await s.apps.events('badjq')).find((e) => e.type === 'Warning' && e.reason === 'InvalidSpec'));
    expect(warning.message).toContain('spec.ignoreDifferences[0].jqPathExpressions[1]');
    // CreateNamespace=true is set, yet nothing was created.
    expect(await core.readNamespace({ name: dest }).then(() => true, () => false)).toBe(false);
  });
});
