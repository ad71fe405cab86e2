import { describe, expect, it } from '@jest/globals';
import type { Application } from '../api/application.js';
import type { RepoCachePort, Resolved } from '../git/types.js';
import { orderForRefresh, touchesPath } from './refresh-order.js';

const sha = (c: string): string => c.repeat(40);

function app(name: string, path: string, revision: string | undefined): { key: string; app: Application } {
  return {
    key: `ns/${name}`,
    app: {
      apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name, namespace: 'ns' },
      spec: { source: { repoURL: 'file:///repo', path }, destination: {} },
      ...(revision !== undefined ? { status: { sync: { status: 'Synced', revision } } } : {}),
    },
  };
}

function repos(head: string, changed: string[] | undefined): RepoCachePort & { diffs: number } {
  const port = {
    diffs: 0,
    resolve: (): Promise<Resolved> => Promise.resolve({ ok: true, sha: head, ref: 'HEAD' }),
    checkout: () => Promise.reject(new Error('not used')),
    invalidate: (): void => undefined,
    changedFiles: (): Promise<string[] | undefined> => {
      port.diffs++;
      return Promise.resolve(changed);
    },
  };
  return port;
}

describe('touchesPath', () => {
  it('matches files under the source path only', () => {
    expect(touchesPath(['apps/web/deploy.yaml'], 'apps/web')).toBe(true);
    expect(touchesPath(['apps/web-2/deploy.yaml'], 'apps/web')).toBe(false);
    expect(touchesPath(['apps/web/x.yaml'], './apps/web/')).toBe(true);
    expect(touchesPath(['README.md'], '.')).toBe(true);
    expect(touchesPath([], '.')).toBe(false);
  });
});

describe('orderForRefresh', () => {
  it('puts the apps whose files changed first, with one diff per revision pair', async () => {
    const port = repos(sha('b'), ['apps/two/cm.yaml']);
    const order = await orderForRefresh(port, [app('one', 'apps/one', sha('a')), app('two', 'apps/two', sha('a')), app('three', 'apps/three', sha('a'))]);
    expect(order).toEqual({ first: ['ns/two'], rest: ['ns/one', 'ns/three'] });
    expect(port.diffs).toBe(1);
  });

  it('puts first what it cannot judge: no status yet, or no diff', async () => {
    expect(await orderForRefresh(repos(sha('b'), undefined), [app('x', 'x', sha('a')), app('new', 'n', undefined)]))
      .toEqual({ first: ['ns/x', 'ns/new'], rest: [] });
  });

  it('leaves for later the apps already at the pushed revision', async () => {
    expect(await orderForRefresh(repos(sha('a'), []), [app('x', 'x', sha('a'))])).toEqual({ first: [], rest: ['ns/x'] });
  });
});
