import { describe, expect, it } from '@jest/globals';
import type { Application, OperationState } from '../../api/application.js';
import { captureIO } from '../output/testing/capture.js';
import { printApp, printHistory } from './get.js';
import { listApps } from './list.js';
import type { AppClient } from './client.js';

// What a repository and an annotation can put into an Application's status: a file name with a
// title, clipboard and cursor sequence (ESC and C1 forms) and a bidi override; a sync token likewise.
const fileName = 'x\u001b]0;PWNED\u0007\u001b[2K\u001b[1A\u001b[32mall good\u001b[0m\u009b2J\u202e.yaml';
const app: Application = {
  apiVersion: 'capstan.dev/v1alpha1', kind: 'Application',
  metadata: { name: 'web', namespace: 'capstan', creationTimestamp: '2026-12-01T00:00:00Z' },
  spec: { source: { repoURL: 'https://git.example.com/org/web.git', path: 'app' }, destination: { namespace: 'web' } },
  status: {
    sync: { status: 'Unknown' },
    conditions: [{ type: 'Ready', status: 'False', reason: 'RenderError', message: `${fileName}:2: unexpected end`, lastTransitionTime: '2026-12-01T00:00:00Z' }],
    history: [{ id: 1, revision: 'a'.repeat(40), deployedAt: '2026-12-01T00:00:00Z', initiatedBy: `user (\u001b]52;c;ZXZpbA==\u0007)` }],
  },
};

/** Whether the output holds an escape sequence or control character a terminal would act on. */
// eslint-disable-next-line no-control-regex -- the test looks for control characters
const actsOnTerminal = (text: string): boolean => /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u.test(text);

describe('what capstan app get, history and list print', () => {
  it('shows hostile text from status as visible escapes, in tables and summary lines', () => {
    for (const color of ['never', 'always'] as const) {
      const io = captureIO();
      printApp(app, { output: 'table', color }, io);
      printHistory(app, { output: 'table', color }, io);
      const out = io.out.text();
      // With colour on, the only escape sequences are the CLI's own colours.
      // eslint-disable-next-line no-control-regex -- the test looks for control characters
      expect(actsOnTerminal(out.replace(/\u001b\[\d+m/gu, ''))).toBe(false);
      expect(out).toContain('x\\e]0;PWNED\\x07\\e[2K');
      expect(out).toContain('\\u202e.yaml');
    }
  });

  it('keeps the data unchanged, and terminal-safe, in JSON output', () => {
    const io = captureIO();
    printApp(app, { output: 'json', color: 'never' }, io);
    expect(actsOnTerminal(io.out.text().replace(/\n/g, ''))).toBe(false);
    expect((JSON.parse(io.out.text()) as Application).status?.conditions?.[0]?.message).toBe(`${fileName}:2: unexpected end`);
  });

  it('escapes names and messages in app list', async () => {
    const named = { ...app, metadata: { ...app.metadata, name: 'web\u001b[2J' } } as Application;
    const client = { list: () => Promise.resolve([named]) } as unknown as AppClient;
    const io = captureIO();
    await listApps(client, 'capstan', { output: 'wide', color: 'never' }, io);
    expect(actsOnTerminal(io.out.text().replace(/\n/g, ''))).toBe(false);
    expect(io.out.text()).toContain('web\\e[2J');
  });

  it('shows where a running operation is, its hooks, and when it is tried again', () => {
    const running: OperationState = {
      phase: 'Running', message: 'waiting for hook Job/migrate to complete before Sync wave 0', startedAt: '2026-12-01T00:00:00Z',
      syncPhase: 'PreSync', wave: 0, waitingFor: 'hook Job/migrate to complete before Sync wave 0',
      hooks: [
        { group: 'batch', version: 'v1', kind: 'Job', namespace: 'web', name: 'migrate', phase: 'PreSync', wave: 0, status: 'Running' },
        { group: 'batch', version: 'v1', kind: 'Job', namespace: 'web', name: `smoke${fileName}`, phase: 'PostSync', wave: 1, status: 'Failed', message: 'BackoffLimitExceeded' },
      ],
    };
    const io = captureIO();
    printApp({ ...app, status: { ...app.status, operationState: running } }, { output: 'table', color: 'never' }, io);
    const out = io.out.text();
    expect(out).toMatch(/^Operation: +Running — PreSync wave 0, waiting for hook Job\/migrate to complete before Sync wave 0$/m);
    expect(out).not.toContain('Last Operation');
    expect(out).toContain('\nHOOKS\n');
    expect(out).toMatch(/^PHASE +WAVE +KIND +NAME +STATUS +MESSAGE$/m);
    expect(out).toMatch(/^PreSync +0 +Job +migrate +Running +<none>$/m);
    expect(out).toMatch(/^PostSync +1 +Job +smokex\\e\]0;PWNED.* +Failed +BackoffLimitExceeded$/m);
    expect(actsOnTerminal(out.replace(/\n/g, ''))).toBe(false);

    const failed: OperationState = { phase: 'Failed', message: 'PreSync hook Job/migrate failed', startedAt: '2026-12-01T00:00:00Z', finishedAt: '2026-12-01T00:00:10Z', retryCount: 0, nextAttemptAt: '2999-01-01T00:00:00Z' };
    const later = captureIO();
    printApp({ ...app, status: { ...app.status, operationState: failed } }, { output: 'table', color: 'never' }, later);
    expect(later.out.text()).toMatch(/^Last Operation: +Failed .* ago: PreSync hook Job\/migrate failed$/m);
    expect(later.out.text()).toMatch(/^Next Attempt: +2999-01-01T00:00:00Z, in \d+y \(retry 1\)$/m);
    expect(later.out.text()).not.toContain('HOOKS');
  });

  it('keeps the operation as it is in JSON output', () => {
    const running: OperationState = { phase: 'Running', message: 'x', startedAt: '2026-12-01T00:00:00Z', syncPhase: 'Sync', wave: 2, hooks: [] };
    const io = captureIO();
    printApp({ ...app, status: { ...app.status, operationState: running } }, { output: 'json', color: 'never' }, io);
    expect((JSON.parse(io.out.text()) as Application).status?.operationState).toEqual(running);
  });
});
