import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import yaml from 'js-yaml';
import type { KubeObject } from '../api/object.js';
import { unifiedObjectDiff } from './unified.js';

function fixture(name: string): KubeObject {
  return yaml.load(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as KubeObject;
}

function deployment(spec: Record<string, unknown>, metadata: KubeObject['metadata'] = {}): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'guestbook', ...metadata }, spec };
}

function secret(fields: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'guestbook' }, type: 'Opaque', ...fields };
}

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const changedLines = (diff: string) => diff.split('\n').filter((l) => /^[-+]/.test(l) && !/^(---|\+\+\+) /.test(l));

describe('unifiedObjectDiff', () => {
  it('is empty for equal objects, and for objects that differ only in what normalisation drops', () => {
    expect(unifiedObjectDiff(deployment({ replicas: 2 }), deployment({ replicas: 2 }))).toBe('');
    const live = {
      ...deployment({ replicas: 2 }, { uid: 'u-1', resourceVersion: '42', generation: 3, managedFields: [{ manager: 'kubectl' }] }),
      status: { readyReplicas: 2 },
    };
    expect(unifiedObjectDiff(live, deployment({ replicas: 2 }))).toBe('');
    expect(unifiedObjectDiff(undefined, undefined)).toBe('');
  });

  it('shows a changed field as a removed and an added line under live/ and git/ headers', () => {
    const diff = unifiedObjectDiff(deployment({ replicas: 2, paused: false }), deployment({ replicas: 5, paused: false }));
    expect(diff).toBe(
      [
        '--- live/Deployment/guestbook/web',
        '+++ git/Deployment/guestbook/web',
        '@@ -5,4 +5,4 @@',
        '   namespace: guestbook',
        ' spec:',
        '   paused: false',
        '-  replicas: 2',
        '+  replicas: 5',
        '',
      ].join('\n'),
    );
  });

  it('writes keys sorted, so the order in either source does not matter', () => {
    const a = deployment({ replicas: 2, paused: false });
    const b: KubeObject = { spec: { paused: false, replicas: 2 }, metadata: { namespace: 'guestbook', name: 'web' }, kind: 'Deployment', apiVersion: 'apps/v1' };
    expect(unifiedObjectDiff(a, b)).toBe('');
  });

  it('honours the context option', () => {
    const diff = unifiedObjectDiff(deployment({ replicas: 2, paused: false }), deployment({ replicas: 5, paused: false }), { context: 0 });
    expect(diff.split('\n').slice(2)).toEqual(['@@ -8,1 +8,1 @@', '-  replicas: 2', '+  replicas: 5', '']);
  });

  it('shows every line added when the object is not live yet, and removed when Git no longer has it', () => {
    const desired = deployment({ replicas: 1 });
    const added = unifiedObjectDiff(undefined, desired);
    const lines = added.split('\n');
    expect(lines.slice(0, 3)).toEqual(['--- /dev/null', '+++ git/Deployment/guestbook/web', '@@ -0,0 +1,7 @@']);
    expect(lines.slice(3, -1).every((l) => l.startsWith('+'))).toBe(true);
    expect(lines).toContain('+kind: Deployment');
    expect(lines).toContain('+  replicas: 1');

    const removed = unifiedObjectDiff(desired, undefined).split('\n');
    expect(removed.slice(0, 3)).toEqual(['--- live/Deployment/guestbook/web', '+++ /dev/null', '@@ -1,7 +0,0 @@']);
    expect(removed.slice(3, -1).every((l) => l.startsWith('-'))).toBe(true);
  });

  it('names a cluster-scoped object by kind and name', () => {
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'guestbook' } };
    expect(unifiedObjectDiff(undefined, ns).split('\n')[1]).toBe('+++ git/Namespace/guestbook');
  });

  it('never shows status, managedFields or other server-owned metadata, even for a new object', () => {
    const live = fixture('deployment-live.yaml');
    const desired = fixture('deployment-predicted.yaml');
    for (const diff of [unifiedObjectDiff(live, desired), unifiedObjectDiff(live, undefined), unifiedObjectDiff(undefined, live)]) {
      expect(diff).not.toMatch(/managedFields|resourceVersion|creationTimestamp|uid:|^[-+ ]status:/m);
      expect(diff).not.toContain('last-applied-configuration');
    }
  });

  it('leaves out ignored pointers', () => {
    const live = deployment({ replicas: 7, template: { spec: { containers: [{ name: 'web', image: 'web:1' }] } } });
    const desired = deployment({ replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'web:2' }] } } });
    const diff = unifiedObjectDiff(live, desired, { ignore: [{ pointers: ['/spec/replicas'] }] });
    expect(changedLines(diff)).toEqual(['-        - image: web:1', '+        - image: web:2']);
    expect(diff).not.toContain('replicas');
    expect(unifiedObjectDiff(live, desired, { ignore: [{ pointers: ['/spec/replicas', '/spec/template'] }] })).toBe('');
  });

  it('shows a changed Secret value as a changed line without revealing either value', () => {
    const live = secret({ data: { password: base64('hunter2'), user: base64('admin') } });
    const desired = secret({ data: { password: base64('correct horse'), user: base64('admin') } });
    const diff = unifiedObjectDiff(live, desired);
    const changes = changedLines(diff);
    expect(changes).toHaveLength(2);
    expect(changes[0]).toMatch(/^- {2}password: <redacted hmac:[0-9a-f]{8}>$/);
    expect(changes[1]).toMatch(/^\+ {2}password: <redacted hmac:[0-9a-f]{8}>$/);
    expect(changes[0]?.slice(1)).not.toBe(changes[1]?.slice(1));
    expect(diff).toMatch(/^ {3}user: <redacted hmac:[0-9a-f]{8}>$/m);
    for (const secretText of ['hunter2', 'correct horse', 'admin', base64('hunter2'), base64('correct horse'), base64('admin')]) {
      expect(diff).not.toContain(secretText);
    }
  });

  it('compares a Secret written with stringData to the data the server stores, still redacted', () => {
    const live = secret({ data: { token: base64('abc') } });
    expect(unifiedObjectDiff(live, secret({ stringData: { token: 'abc' } }))).toBe('');
    const diff = unifiedObjectDiff(live, secret({ stringData: { token: 'abd' } }));
    expect(changedLines(diff)).toHaveLength(2);
    expect(diff).not.toMatch(/stringData|abd|abc/);
  });

  it('redacts the values of a Secret that exists on one side only', () => {
    const diff = unifiedObjectDiff(undefined, secret({ data: { password: base64('hunter2') } }));
    expect(diff).toMatch(/^\+ {2}password: <redacted hmac:[0-9a-f]{8}>$/m);
    expect(diff).not.toContain(base64('hunter2'));
  });

  it('does not redact the data of other kinds', () => {
    const cm = (value: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'ns' }, data: { mode: value } });
    expect(changedLines(unifiedObjectDiff(cm('a'), cm('b')))).toEqual(['-  mode: a', '+  mode: b']);
  });
});
