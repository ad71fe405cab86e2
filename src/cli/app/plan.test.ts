import { describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import type { Application } from '../../api/application.js';
import { colours } from '../output/colour.js';
import type { CommandIO } from '../output/io.js';
import { printPlan } from './plan.js';

function io(): { io: CommandIO; text: () => string } {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => { text += d.toString(); });
  return { io: { out, err: new PassThrough(), stdin: new PassThrough(), env: {}, setExitCode: () => undefined }, text: () => text };
}

const app = (plan?: NonNullable<Application['status']>['plan']): Application => ({
  apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: 'web', namespace: 'team' },
  spec: { source: { repoURL: 'r' }, destination: {} },
  status: { sync: { status: plan === undefined ? 'Synced' : 'OutOfSync' }, ...(plan !== undefined ? { plan } : {}) },
});

describe('printPlan', () => {
  it('prints each object with its action and changed fields, and the counts', () => {
    const o = io();
    const shown = printPlan(app({
      revision: '0123456789abcdef', hash: 'feedfacecafebeef', counts: { create: 1, update: 1, prune: 1, hook: 1 },
      items: [
        { action: 'hook', group: 'batch', kind: 'Job', namespace: 'web', name: 'migrate', phases: ['PreSync'] },
        { action: 'create', group: '', kind: 'ConfigMap', namespace: 'web', name: 'new' },
        { action: 'update', group: 'apps', kind: 'Deployment', namespace: 'web', name: 'web', paths: ['spec.replicas'] },
        { action: 'prune', group: '', kind: 'ConfigMap', namespace: 'web', name: 'old' },
      ],
    }), { output: 'table' }, colours(false), o.io);
    expect(shown).toBe(true);
    expect(o.text()).toBe([
      'Plan for team/web at 0123456789ab (plan feedfacecafebeef):', '',
      '  * Job.batch web/migrate (PreSync hook)',
      '  + ConfigMap web/new',
      '  ~ Deployment.apps web/web',
      '      spec.replicas',
      '  - ConfigMap web/old (prune)', '',
      'Plan: 1 to create, 1 to update, 1 to prune, 1 hook.', '',
    ].join('\n'));
  });

  it('says why there is no plan', () => {
    const o = io();
    expect(printPlan(app(), { output: 'table' }, colours(false), o.io)).toBe(false);
    expect(o.text()).toBe('team/web has no plan: it is Synced (nothing to do)\n');
  });
});
