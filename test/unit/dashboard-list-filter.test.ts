import { describe, expect, it } from '@jest/globals';
import type { AppSummary } from '../../src/dashboard/api-types.js';
import { filterApps, filterOptions, noFilter, sortApps } from '../../src/dashboard/ui/src/app-list-filter.js';
import { applyAppListEvent } from '../../src/dashboard/ui/src/app-list-state.js';
import { asAppEvent, asAppListEvent } from '../../src/dashboard/ui/src/stream-events.js';

function app(name: string, fields: Partial<AppSummary> = {}): AppSummary {
  return { namespace: 'capstan', name, project: 'default', sync: 'Synced', health: 'Healthy', cluster: 'in-cluster', repoURL: 'https://git.example/apps.git', path: `apps/${name}`, ...fields };
}

const apps = [
  app('web', { sync: 'OutOfSync', health: 'Degraded', project: 'shop' }),
  app('api', { namespace: 'team-a', project: 'shop', cluster: 'east' }),
  app('db', { health: 'Progressing', repoURL: 'https://charts.example/db', path: undefined }),
];

describe('filterApps', () => {
  it('lets everything through with no filter', () => {
    expect(filterApps(apps, noFilter)).toEqual(apps);
  });

  it('keeps the apps equal on every set field', () => {
    expect(filterApps(apps, { ...noFilter, project: 'shop' }).map((a) => a.name)).toEqual(['web', 'api']);
    expect(filterApps(apps, { ...noFilter, project: 'shop', sync: 'Synced' }).map((a) => a.name)).toEqual(['api']);
    expect(filterApps(apps, { ...noFilter, health: 'Progressing' }).map((a) => a.name)).toEqual(['db']);
    expect(filterApps(apps, { ...noFilter, cluster: 'east', namespace: 'team-a' }).map((a) => a.name)).toEqual(['api']);
    expect(filterApps(apps, { ...noFilter, namespace: 'nowhere' })).toEqual([]);
  });

  it('searches name, namespace, project, repository and path, case-insensitively, every word', () => {
    const names = (search: string): string[] => filterApps(apps, { ...noFilter, search }).map((a) => a.name);
    expect(names('WEB')).toEqual(['web']);
    expect(names('team-a')).toEqual(['api']);
    expect(names('shop')).toEqual(['web', 'api']);
    expect(names('charts.example')).toEqual(['db']);
    expect(names('apps/api')).toEqual(['api']);
    expect(names('  shop   web ')).toEqual(['web']);
    expect(names('zzz')).toEqual([]);
  });
});

describe('filterOptions', () => {
  it('lists the distinct values of a field, sorted', () => {
    expect(filterOptions(apps, 'project')).toEqual(['default', 'shop']);
    expect(filterOptions(apps, 'health')).toEqual(['Degraded', 'Healthy', 'Progressing']);
  });
});

describe('applyAppListEvent', () => {
  it('replaces the map on a snapshot, changes one entry on an upsert or delete', () => {
    const snapshot = applyAppListEvent(new Map(), { type: 'snapshot', apps });
    expect(sortApps(snapshot.values()).map((a) => `${a.namespace}/${a.name}`)).toEqual(['capstan/db', 'capstan/web', 'team-a/api']);
    const changed = app('web', { sync: 'Synced' });
    const upserted = applyAppListEvent(snapshot, { type: 'upsert', app: changed });
    expect(upserted.get('capstan/web')).toBe(changed);
    expect(upserted.get('capstan/db')).toBe(snapshot.get('capstan/db'));
    const deleted = applyAppListEvent(upserted, { type: 'delete', namespace: 'capstan', name: 'db' });
    expect([...deleted.keys()]).toEqual(['capstan/web', 'team-a/api']);
    expect(applyAppListEvent(deleted, { type: 'delete', namespace: 'capstan', name: 'gone' })).toBe(deleted);
    expect(applyAppListEvent(deleted, { type: 'error', message: 'watch failed' })).toBe(deleted);
  });
});

describe('asAppListEvent and asAppEvent', () => {
  it('accept objects of a known type and ignore anything else', () => {
    expect(asAppListEvent({ type: 'snapshot', apps: [] })).toEqual({ type: 'snapshot', apps: [] });
    expect(asAppListEvent({ type: 'app' })).toBeUndefined();
    expect(asAppListEvent('snapshot')).toBeUndefined();
    expect(asAppListEvent(null)).toBeUndefined();
    expect(asAppEvent({ type: 'delete' })).toEqual({ type: 'delete' });
    expect(asAppEvent({ type: 7 })).toBeUndefined();
  });
});
