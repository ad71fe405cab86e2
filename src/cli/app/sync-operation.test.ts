import { describe, expect, it } from '@jest/globals';
import { recordedSyncToken } from '../../api/annotations.js';
import type { Application, OperationState } from '../../api/application.js';
import { parseOperation } from '../../api/operation.js';
import { captureIO } from '../output/testing/capture.js';
import { runCommand } from '../output/testing/run-command.js';
import type { AppClient } from './client.js';
import { registerAppCommands } from './index.js';
import { needsOperation, operationRefusal, requestOperationSync, syncOperationField, type OperationSyncRequest } from './sync-operation.js';

const base: Application = {
  apiVersion: 'capstan.dev/v1alpha1', kind: 'Application',
  metadata: { name: 'web', namespace: 'capstan', resourceVersion: '7' },
  spec: { source: { repoURL: 'https://git.example.com/org/web.git', path: 'app', targetRevision: 'main' }, destination: { namespace: 'web' } },
  status: {
    resources: [
      { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'web', name: 'one', status: 'OutOfSync', health: { status: 'Healthy' } },
      { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'web', name: 'two', status: 'Synced', health: { status: 'Healthy' } },
    ],
  },
};
const request = (fields: Partial<OperationSyncRequest> = {}): OperationSyncRequest => ({ prune: false, dryRun: false, wait: false, timeoutMs: 1_000, ...fields });

/** An AppClient that holds one Application: the operation written, then (on wait) the controller's answer. */
function fakeClient(app: Application, answer?: (token: string) => OperationState): { client: AppClient; written: () => unknown } {
  let operation: unknown;
  const client = {
    requestOperation: (_ns: string, _name: string, op: unknown, refuse: (a: Application) => string | undefined) => {
      const why = refuse(app);
      if (why !== undefined) return Promise.resolve({ ok: false, error: why });
      operation = op;
      return Promise.resolve({ ok: true, value: { ...app, operation: op } });
    },
    waitFor: <T>(_ns: string, _name: string, done: (a: Application) => T | undefined) => {
      const parsed = parseOperation(operation);
      if (!parsed.ok || answer === undefined) return Promise.reject(new Error('nothing to wait for'));
      const result = done({ ...app, status: { ...app.status, operationState: answer(parsed.value.token ?? '') } });
      return result === undefined ? Promise.reject(new Error('not done')) : Promise.resolve(result);
    },
  } as unknown as AppClient;
  return { client, written: () => operation };
}

describe('capstan app sync with --prune, --dry-run, --resource', () => {
  it('uses the operation field only for options the annotation cannot carry', () => {
    expect(needsOperation({ prune: false, dryRun: false, resources: [] })).toBe(false);
    expect(needsOperation({ prune: true, dryRun: false, resources: [] })).toBe(true);
    expect(needsOperation({ prune: false, dryRun: true, resources: [] })).toBe(true);
    expect(needsOperation({ prune: false, dryRun: false, resources: [':ConfigMap:one'] })).toBe(true);
  });

  it('writes an operation field the controller reads as asked, with its token and who asked', () => {
    const field = syncOperationField(request({ revision: 'abc', prune: true, dryRun: true, resources: [{ group: '', kind: 'ConfigMap', name: 'one' }] }), 'cli-1', 'alice');
    expect(field).toEqual({
      initiatedBy: { username: 'alice' }, info: [{ name: 'token', value: 'cli-1' }],
      sync: { revision: 'abc', prune: true, dryRun: true, resources: [{ group: '', kind: 'ConfigMap', name: 'one' }] },
    });
    expect(parseOperation(field)).toEqual({ ok: true, value: {
      initiatedBy: 'user (alice)', token: 'cli-1', revision: 'abc', prune: true, dryRun: true, resources: [{ group: '', kind: 'ConfigMap', name: 'one' }],
    } });
    expect(syncOperationField(request({ prune: true }), 't', 'bob').sync).toEqual({ prune: true });
  });

  it('refuses when another operation field waits, a revision auto-sync would undo, or an object the app lacks', () => {
    expect(operationRefusal({ ...base, operation: { sync: {} } }, request({ prune: true }))).toMatch(/^Application capstan\/web already has an operation field the controller has not taken yet/);
    const automated = { ...base, spec: { ...base.spec, syncPolicy: { automated: {} } } };
    expect(operationRefusal(automated, request({ prune: true, revision: 'abc' }))).toMatch(/auto-sync is on and targets main; `capstan app sync web --revision abc` syncs it and pauses auto-sync$/);
    expect(operationRefusal(automated, request({ dryRun: true, revision: 'abc' }))).toBeUndefined();
    expect(operationRefusal(automated, request({ prune: true, revision: 'main' }))).toBeUndefined();
    expect(operationRefusal(base, request({ resources: [{ group: '', kind: 'ConfigMap', name: 'three' }] }))).toMatch(/^--resource not among the app's resources: :ConfigMap:three/);
    expect(operationRefusal(base, request({ resources: [{ group: '', kind: 'ConfigMap', name: 'one' }] }))).toBeUndefined();
    // A summarised resource list cannot tell.
    expect(operationRefusal({ ...base, status: { ...base.status, resourcesTruncated: 10 } }, request({ resources: [{ group: '', kind: 'ConfigMap', name: 'three' }] }))).toBeUndefined();
  });

  it('waits for the operation that carries its token and prints what a dry run would change', async () => {
    const { client, written } = fakeClient(base, (token) => ({
      phase: 'Succeeded', message: 'dry run: 1 configured, 1 unchanged, 1 pruned; nothing was written', startedAt: 'x', revision: 'f'.repeat(40), dryRun: true, syncToken: recordedSyncToken(token),
      resources: [
        { group: '', kind: 'ConfigMap', namespace: 'web', name: 'one', action: 'configured', message: 'dry run' },
        { group: '', kind: 'ConfigMap', namespace: 'web', name: 'two', action: 'unchanged', message: 'dry run' },
        { group: '', kind: 'ConfigMap', namespace: 'web', name: 'old', action: 'pruned', message: 'dry run' },
      ],
    }));
    const io = captureIO();
    await requestOperationSync(client, 'capstan', 'web', request({ dryRun: true, prune: true, wait: true }), io);
    expect(written()).toMatchObject({ sync: { dryRun: true, prune: true } });
    expect(io.out.text().split('\n').slice(1)).toEqual([
      'Succeeded: dry run: 1 configured, 1 unchanged, 1 pruned; nothing was written (revision fffffff)',
      '  would update ConfigMap/one',
      '  would prune  ConfigMap/old',
      '  (1 in sync, not listed)',
      '',
    ]);
    expect(io.out.text()).toMatch(/^dry run of capstan\/web \(with prune\) requested \(token cli-/);
    expect(io.exitCode()).toBeUndefined();
  });

  it('exits 1 when the operation failed', async () => {
    const { client } = fakeClient(base, (token) => ({ phase: 'Error', message: 'revision nope not found', startedAt: 'x', syncToken: recordedSyncToken(token) }));
    const io = captureIO();
    await requestOperationSync(client, 'capstan', 'web', request({ prune: true, revision: 'nope', wait: true }), io);
    expect(io.out.text()).toContain('Error: revision nope not found');
    expect(io.exitCode()).toBe(1);
  });

  it('refuses a request it may not make, writing nothing', async () => {
    const { client, written } = fakeClient({ ...base, operation: { sync: {} } });
    await expect(requestOperationSync(client, 'capstan', 'web', request({ prune: true }), captureIO())).rejects.toThrow(/already has an operation field/);
    expect(written()).toBeUndefined();
  });

  it('refuses a bad --resource with exit code 2 before reaching the cluster', async () => {
    const io = await runCommand(registerAppCommands, ['app', 'sync', 'web', '--resource', ':ConfigMap:one', '--resource', 'nonsense', '--kubeconfig', '/nonexistent']);
    expect(io.exitCode()).toBe(2);
    expect(io.err.text()).toBe('capstan: --resource "nonsense": no kind given (expected GROUP:KIND:[NAMESPACE/]NAME or KIND/NAME (core group))\n');
  });

  it('documents the syntax in --help', async () => {
    const io = await runCommand(registerAppCommands, ['app', 'sync', '--help']);
    expect(io.out.text()).toContain('GROUP:KIND:[NAMESPACE/]NAME or KIND/NAME');
    expect(io.out.text()).toContain('--dry-run');
    expect(io.out.text()).toContain('--prune');
  });
});
