// The CLI's view and control of the sync operation, against the real control plane with a real
// controller: `capstan app get` shows where a running sync is and its hooks; `capstan app
// terminate` ends it; `capstan app sync --dry-run / --resource / --prune` go through the
// operation field: a dry run reports what would change and writes nothing, a partial sync applies
// only the object named, a prune deletes what Git no longer has. A request made while a sync runs
// waits for it; a second one is refused while the first waits.
//
// A hook Job's pod is held Pending by a nodeSelector on a label no node has ("the gate"); opening
// the gate (labelling the nodes) lets KWOK run the pod to completion.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import type { Application } from '../../../src/api/application.js';
import { capstanCli, kubectl } from '../support/capstan.js';
import { configMap } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';

const s = new Scenario('cli-operation', { intervalMs: 600_000 });
let core: CoreV1Api;
const gates: string[] = [];

beforeAll(async () => {
  await s.setUp();
  core = s.kc.makeApiClient(CoreV1Api);
});
afterAll(async () => {
  for (const gate of gates) kubectl('label', 'nodes', '--all', `${gate}-`);
  await s.tearDown();
});

const app = (...args: string[]): ReturnType<typeof capstanCli> => capstanCli(['app', ...args, '-n', s.namespace]);
const op = (a: Application) => a.status?.operationState;

function newGate(name: string): { label: string; open: () => void } {
  const label = `capstan.dev/test-gate-${s.namespace}-${name}`;
  gates.push(label);
  return { label, open: () => kubectl('label', '--overwrite', 'nodes', '--all', `${label}=open`) };
}

/** A PreSync hook Job whose pod stays Pending until the gate opens. */
function gatedJob(name: string, gate: string): string {
  return JSON.stringify({
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name, annotations: { 'argocd.argoproj.io/hook': 'PreSync' } },
    spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', nodeSelector: { [gate]: 'open' }, containers: [{ name: 'main', image: 'busybox' }] } } },
  });
}

async function colour(name: string, namespace: string): Promise<string | undefined> {
  return (await core.readNamespacedConfigMap({ name, namespace }).catch(() => undefined))?.data?.['colour'];
}

async function exists(name: string, namespace: string): Promise<boolean> {
  return (await core.readNamespacedConfigMap({ name, namespace }).catch(() => undefined)) !== undefined;
}

/** A manual app at `path` with ConfigMaps one and two (colour a) and old, synced by `capstan app sync --wait`. */
async function syncedManualApp(name: string): Promise<string> {
  const dest = s.destination(`cli-op-${name}`);
  s.repo.write(`${name}/one.yaml`, configMap('one', { colour: 'a' }))
    .write(`${name}/two.yaml`, configMap('two', { colour: 'a' }))
    .write(`${name}/old.yaml`, configMap('old', { colour: 'a' }));
  s.repo.commit(`${name} v1`);
  await s.apps.create(name, { repoURL: s.repo.url, path: name, destinationNamespace: dest, automated: null, interval: '10m' });
  await s.apps.waitFor(name, 'OutOfSync', (a) => a.status?.sync?.status === 'OutOfSync');
  const synced = await app('sync', name, '--wait');
  expect(synced.code).toBe(0);
  expect(await colour('one', dest)).toBe('a');
  return dest;
}

/** In Git: one and two get colour b, old is removed, new is added. */
function changeInGit(name: string): string {
  s.repo.write(`${name}/one.yaml`, configMap('one', { colour: 'b' }))
    .write(`${name}/two.yaml`, configMap('two', { colour: 'b' }))
    .write(`${name}/new.yaml`, configMap('new', { colour: 'b' }))
    .remove(`${name}/old.yaml`);
  return s.repo.commit(`${name} v2`);
}

describe('capstan app and the sync operation', () => {
  it('get shows the running phase, wave, what it waits for and the hooks; terminate ends it', async () => {
    const dest = s.destination('cli-op-term');
    const gate = newGate('term');
    s.repo.write('term/migrate.json', gatedJob('migrate', gate.label)).write('term/settings.yaml', configMap('settings'));
    s.repo.commit('a migration that waits');
    await s.apps.create('term', {
      repoURL: s.repo.url, path: 'term', destinationNamespace: dest,
      extraSpec: { syncPolicy: { automated: {}, syncOptions: ['CreateNamespace=true'], hookTimeout: '10m' } },
    });
    await s.apps.waitFor('term', 'the sync to wait for its hook', (a) => op(a)?.phase === 'Running' && op(a)?.waitingFor !== undefined, 90_000);

    const get = await app('get', 'term');
    expect(get.code).toBe(0);
    expect(get.stdout).toMatch(/^Operation: +Running — PreSync wave 0, waiting for hook Job\/migrate to complete before Sync wave 0$/m);
    expect(get.stdout).toMatch(/^HOOKS\nPHASE +WAVE +KIND +NAME +STATUS +MESSAGE\nPreSync +0 +Job +migrate +Running/m);

    const terminated = await app('terminate', 'term');
    expect(terminated.code).toBe(0);
    expect(terminated.stdout).toContain('Failed (terminated): terminated while waiting for hook Job/migrate to complete before Sync wave 0');
    const ended = await s.apps.mustGet('term');
    expect(op(ended)).toMatchObject({ phase: 'Failed', terminated: true });
    expect(op(ended)?.hooks?.map((h) => `${h.name}/${h.status}`)).toEqual(['migrate/Failed']);
    await s.apps.waitFor('term', 'the terminate annotation to be removed', (a) => a.metadata.annotations?.['capstan.dev/terminate-operation'] === undefined, 30_000);
    expect(await exists('settings', dest)).toBe(false);

    const again = await app('terminate', 'term');
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('no operation is running (the last one: Failed: terminated while waiting');
    expect((await s.apps.mustGet('term')).metadata.annotations?.['capstan.dev/terminate-operation']).toBeUndefined();
    const shown = await app('get', 'term');
    expect(shown.stdout).toMatch(/^Last Operation: +Failed .*ago: terminated while waiting for hook Job\/migrate/m);
  });

  it('a sync asked for while another runs starts when it ends; a second request is refused while the first waits', async () => {
    const dest = s.destination('cli-op-queue');
    const gate = newGate('queue');
    s.repo.write('queue/migrate.json', gatedJob('migrate', gate.label)).write('queue/settings.yaml', configMap('settings', { colour: 'a' }));
    s.repo.commit('queue v1');
    await s.apps.create('queue', { repoURL: s.repo.url, path: 'queue', destinationNamespace: dest, automated: null, interval: '10m', extraSpec: { syncPolicy: { syncOptions: ['CreateNamespace=true'], hookTimeout: '10m' } } });
    await s.apps.waitFor('queue', 'OutOfSync', (a) => a.status?.sync?.status === 'OutOfSync');
    const first = app('sync', 'queue', '--wait');
    await s.apps.waitFor('queue', 'the sync to wait for its hook', (a) => op(a)?.phase === 'Running' && op(a)?.waitingFor !== undefined, 90_000);

    const dryRun = app('sync', 'queue', '--dry-run', '--wait');
    await s.apps.waitFor('queue', 'the operation field to be written', (a) => a['operation'] !== undefined);
    const refused = await app('sync', 'queue', '--prune');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('already has an operation field the controller has not taken yet');

    gate.open();
    const synced = await first;
    expect(synced.code).toBe(0);
    expect(synced.stdout).toContain('Succeeded');
    const dry = await dryRun;
    expect(dry.stdout).toMatch(/^dry run of .*\/queue requested \(token cli-[^)]+\); it starts when the running operation ends$/m);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^Succeeded: dry run: .*nothing was written/m);
    expect((await s.apps.mustGet('queue'))['operation']).toBeUndefined();
  });

  it('sync --dry-run --prune --wait reports what would be created, updated and pruned, and changes nothing', async () => {
    const dest = await syncedManualApp('dry');
    const sha = changeInGit('dry');
    const dry = await app('sync', 'dry', '--dry-run', '--prune', '--wait');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`Succeeded: dry run: `);
    expect(dry.stdout).toContain(`nothing was written (revision ${sha.slice(0, 7)})`);
    const listed = dry.stdout.split('\n').filter((l) => l.startsWith('  ')).sort();
    expect(listed).toEqual(['  would create ConfigMap/new', '  would prune  ConfigMap/old', '  would update ConfigMap/one', '  would update ConfigMap/two']);
    expect([await colour('one', dest), await colour('two', dest), await exists('old', dest), await exists('new', dest)]).toEqual(['a', 'a', true, false]);
    const after = await s.apps.mustGet('dry');
    expect(op(after)).toMatchObject({ phase: 'Succeeded', dryRun: true });
    expect(after.status?.history).toHaveLength(1);
  });

  it('sync --resource :ConfigMap:one --wait applies only that object; one the app lacks is refused', async () => {
    const dest = await syncedManualApp('partial');
    changeInGit('partial');
    const partial = await app('sync', 'partial', '--resource', ':ConfigMap:one', '--wait');
    expect(partial.code).toBe(0);
    expect(partial.stdout).toMatch(/^sync of .*\/partial \(only :ConfigMap:one\) requested/m);
    expect(partial.stdout.split('\n').filter((l) => l.startsWith('  '))).toEqual(['  configured ConfigMap/one']);
    expect([await colour('one', dest), await colour('two', dest), await exists('old', dest), await exists('new', dest)]).toEqual(['b', 'a', true, false]);

    const unknown = await app('sync', 'partial', '--resource', 'ConfigMap/nope', '--wait');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("not among the app's resources: :ConfigMap:nope");
    const malformed = await app('sync', 'partial', '--resource', 'one');
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('--resource "one": no kind given');
    expect((await s.apps.mustGet('partial'))['operation']).toBeUndefined();
  });

  it('sync --prune --wait on a manual app deletes what Git no longer has; a revision that does not exist fails', async () => {
    const dest = await syncedManualApp('prune');
    changeInGit('prune');
    const pruned = await app('sync', 'prune', '--prune', '--wait');
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toMatch(/^ {2}pruned +ConfigMap\/old/m);
    expect([await colour('one', dest), await colour('two', dest), await exists('old', dest), await exists('new', dest)]).toEqual(['b', 'b', false, true]);
    const after = await s.apps.mustGet('prune');
    expect(after.status?.sync?.status).toBe('Synced');
    expect(after.status?.history?.[1]?.initiatedBy).toMatch(/^user \(.+\)$/);

    const failed = await app('sync', 'prune', '--prune', '--revision', 'no-such-branch', '--wait', '--timeout', '60s');
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^Error: .*no-such-branch/m);
  });
});
