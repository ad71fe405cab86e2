import { describe, expect, it } from '@jest/globals';
import { isSelected, parseOperation } from './operation.js';

describe('parseOperation', () => {
  it("reads Argo CD's sync operation: revision, prune, dryRun, resources, syncOptions, retry, who, and the CLI's token", () => {
    const parsed = parseOperation({
      initiatedBy: { username: 'alice' }, info: [{ name: 'token', value: 'cli-1' }],
      sync: { revision: 'abc', prune: true, dryRun: true, resources: [{ kind: 'ConfigMap', name: 'a' }, { group: 'apps', kind: 'Deployment', name: 'web', namespace: 'x' }], syncOptions: ['Replace=true'] },
      retry: { limit: 2, backoff: { duration: '5s' } },
    });
    expect(parsed).toEqual({ ok: true, value: {
      initiatedBy: 'user (alice)', token: 'cli-1', revision: 'abc', prune: true, dryRun: true,
      resources: [{ group: '', kind: 'ConfigMap', name: 'a' }, { group: 'apps', kind: 'Deployment', name: 'web', namespace: 'x' }],
      syncOptions: ['Replace=true'], retry: { limit: 2, backoff: { duration: '5s' } },
    } });
    expect(parseOperation({ sync: {} })).toEqual({ ok: true, value: { initiatedBy: 'user (operation)', prune: false, dryRun: false } });
    expect(parseOperation({ initiatedBy: { automated: true }, sync: { revision: '' } })).toEqual({ ok: true, value: { initiatedBy: 'automated (operation)', prune: false, dryRun: false } });
  });

  it('refuses what it does not implement, by name', () => {
    const refused = (raw: unknown): string => {
      const r = parseOperation(raw);
      return r.ok ? '' : r.error.message;
    };
    expect(refused({ sync: { syncStrategy: { apply: { force: true } } } })).toContain('operation.sync.syncStrategy is not supported yet');
    expect(refused({ sync: { prune: 'yes' } })).toContain('operation.sync.prune must be true or false');
    expect(refused({ sync: { syncOptions: ['Frobnicate=true'] } })).toContain('operation.sync.syncOptions: Frobnicate is not a sync option');
    expect(refused({ sync: { resources: [{ kind: 'ConfigMap' }] } })).toContain('operation.sync.resources[0] needs kind and name');
    expect(refused({ retry: { limit: 1.5 } })).toContain('operation.sync is missing');
    expect(refused({ sync: {}, retry: { limit: -2 } })).toContain('operation.retry.limit must be an integer');
    expect(refused({ sync: {}, rollback: {} })).toContain('operation.rollback is not a field Capstan knows');
    expect(refused('sync')).toBe('operation must be an object');
  });
});

describe('isSelected', () => {
  it('matches group, kind and name, and the namespace only when given', () => {
    const selected = [{ group: '', kind: 'ConfigMap', name: 'a' }, { group: 'apps', kind: 'Deployment', name: 'web', namespace: 'x' }];
    expect(isSelected(selected, { group: '', kind: 'ConfigMap', namespace: 'any', name: 'a' })).toBe(true);
    expect(isSelected(selected, { group: 'apps', kind: 'Deployment', namespace: 'x', name: 'web' })).toBe(true);
    expect(isSelected(selected, { group: 'apps', kind: 'Deployment', namespace: 'y', name: 'web' })).toBe(false);
    expect(isSelected(selected, { group: '', kind: 'Secret', namespace: 'x', name: 'a' })).toBe(false);
  });
});
