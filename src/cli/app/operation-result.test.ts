import { describe, expect, it } from '@jest/globals';
import type { OperationState } from '../../api/application.js';
import { operationResultLines } from './operation-result.js';

describe('what capstan app sync --wait prints', () => {
  it('lists what a sync changed, not what it left unchanged', () => {
    const op: OperationState = {
      phase: 'Succeeded', message: '1 configured, 1 pruned, 1 unchanged', startedAt: 'x', revision: 'abcdef0123',
      resources: [
        { group: '', kind: 'ConfigMap', namespace: 'web', name: 'one', action: 'configured' },
        { group: '', kind: 'ConfigMap', namespace: 'web', name: 'two', action: 'unchanged' },
        { group: '', kind: 'ConfigMap', namespace: 'web', name: 'old', action: 'pruned', message: 'removed from Git' },
      ],
    };
    expect(operationResultLines(op)).toEqual(['Succeeded: 1 configured, 1 pruned, 1 unchanged (revision abcdef0)', '  configured ConfigMap/one', '  pruned     ConfigMap/old: removed from Git']);
  });

  it('lists what a dry run would create, update and prune; what is in sync is counted', () => {
    const op: OperationState = {
      phase: 'Succeeded', message: 'dry run: 1 created, 1 configured, 1 unchanged, 1 skipped; nothing was written', startedAt: 'x', dryRun: true,
      resources: [
        { group: '', kind: 'ConfigMap', namespace: 'web', name: 'new', action: 'created', message: 'dry run' },
        { group: '', kind: 'ConfigMap', namespace: 'web', name: 'one', action: 'configured', message: 'dry run' },
        { group: '', kind: 'ConfigMap', namespace: 'web', name: 'two', action: 'unchanged', message: 'dry run' },
        { group: 'batch', kind: 'Job', namespace: 'web', name: 'migrate', action: 'skipped', message: 'PreSync hook: not run in a dry run' },
      ],
    };
    expect(operationResultLines(op)).toEqual([
      'Succeeded: dry run: 1 created, 1 configured, 1 unchanged, 1 skipped; nothing was written',
      '  would create ConfigMap/new',
      '  would update ConfigMap/one',
      '  skipped      Job/migrate: PreSync hook: not run in a dry run',
      '  (1 in sync, not listed)',
    ]);
    const inSync = { ...op, resources: (op.resources ?? []).slice(2, 3) };
    expect(operationResultLines(inSync).slice(1)).toEqual(['  nothing would change']);
  });
});
