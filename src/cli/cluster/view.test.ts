import { describe, expect, it } from '@jest/globals';
import type { Application } from '../../api/application.js';
import type { KubeObject } from '../../api/object.js';
import { clusterRows } from './view.js';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

function secret(name: string, data: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'capstan', labels: { 'capstan.dev/secret-type': 'cluster' } },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
  };
}

const app = (destination: Record<string, string>): Application =>
  ({ apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: 'a', namespace: 'capstan' }, spec: { source: { repoURL: 'x' }, destination } });

describe('clusterRows', () => {
  const secrets = [
    secret('prod-secret', { name: 'prod', server: 'https://prod:6443', config: JSON.stringify({ bearerToken: 'super-secret-token' }) }),
    secret('stage-secret', { name: 'stage', server: 'https://stage:6443/', config: JSON.stringify({ bearerToken: 'another-token' }) }),
    secret('broken', { name: 'old', server: 'https://old:6443', config: JSON.stringify({ username: 'admin', password: 'hunter2' }) }),
  ];
  const apps = [app({ namespace: 'web' }), app({ name: 'stage', namespace: 'web' }), app({ server: 'https://stage:6443', namespace: 'db' }), app({ server: 'https://kubernetes.default.svc', namespace: 'x' })];

  it('lists the own cluster first, then each registered one with its version, reachability and app count', () => {
    const rows = clusterRows(secrets, apps, new Map([['prod-secret', { version: 'v1.35.0' }], ['stage-secret', { error: 'connect ECONNREFUSED' }]]), { version: 'v1.35.0' });
    expect(rows).toEqual([
      { name: 'in-cluster', server: 'https://kubernetes.default.svc', version: 'v1.35.0', reachable: 'yes', apps: 2, secret: '<none>' },
      { name: 'old', server: 'https://old:6443', version: '<none>', reachable: '<none>', apps: 0, secret: 'broken', problem: expect.stringContaining('Secret ignored: config sets keys Capstan does not carry out') },
      { name: 'prod', server: 'https://prod:6443', version: 'v1.35.0', reachable: 'yes', apps: 0, secret: 'prod-secret' },
      { name: 'stage', server: 'https://stage:6443', version: '<none>', reachable: 'no', apps: 2, secret: 'stage-secret', problem: 'connect ECONNREFUSED' },
    ]);
  });

  it('a cluster not asked (its credentials come from a command) says why, and neither yes nor no', () => {
    const rows = clusterRows([secrets[0] as KubeObject], [], new Map([['prod-secret', { notAsked: 'not asked: a command' }]]), { version: 'v1' });
    expect(rows[1]).toMatchObject({ name: 'prod', reachable: '<none>', problem: 'not asked: a command' });
  });

  it('never shows a credential', () => {
    const text = JSON.stringify(clusterRows(secrets, apps, new Map(), { error: 'x' }));
    for (const value of ['super-secret-token', 'another-token', 'hunter2']) expect(text).not.toContain(value);
  });
});
