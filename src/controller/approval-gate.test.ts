import { describe, expect, it } from '@jest/globals';
import type { Application, DeployPlan } from '../api/application.js';
import { approvalRequest, gateApproval } from './approval-gate.js';
import type { SyncDecision } from './decide.js';

const app = (required: boolean, annotations?: Record<string, string>, managedFields?: Application['metadata']['managedFields']): Application => ({
  apiVersion: 'capstan.dev/v1alpha1', kind: 'Application',
  metadata: { name: 'prod', namespace: 'team', ...(annotations !== undefined ? { annotations } : {}), ...(managedFields !== undefined ? { managedFields } : {}) },
  spec: { source: { repoURL: 'r' }, destination: {}, syncPolicy: { automated: { prune: false }, approval: { required } } },
});
const plan: DeployPlan = { revision: 'sha2', hash: 'aaaa', counts: { create: 1, update: 0, prune: 1, hook: 0 }, items: [] };
const automated: SyncDecision = { sync: true, prune: false, trigger: 'automated', initiatedBy: 'automated', why: 'new revision' };

describe('gateApproval', () => {
  it('lets everything through when approval is not required', () => {
    expect(gateApproval(app(false), automated, plan, undefined, 'sha1')).toEqual({ kind: 'open', decision: automated });
  });

  it('holds an automated sync until the plan is approved, then applies that plan with its prunes', () => {
    const held = gateApproval(app(true), automated, plan, undefined, 'sha1');
    expect(held.kind).toBe('waiting');
    expect(held.decision).toMatchObject({ sync: false, approval: 'awaiting approval of plan aaaa: capstan app approve prod --plan aaaa' });
    const approved = gateApproval(app(true), automated, plan, { hash: 'aaaa', by: 'alice' }, 'sha1');
    expect(approved).toMatchObject({ kind: 'approved', decision: { sync: true, prune: true, trigger: 'user', initiatedBy: 'approved by alice (plan aaaa)' } });
  });

  it('applies nothing for an approval of another plan, and says which', () => {
    const stale = gateApproval(app(true), automated, plan, { hash: 'bbbb', by: 'bob' }, 'sha1');
    expect(stale).toMatchObject({ kind: 'waiting', decision: { sync: false }, stale: { hash: 'bbbb', by: 'bob' } });
  });

  it('holds an app that does not sync by itself too, and lets syncs asked for by hand go', () => {
    const idle: SyncDecision = { sync: false, prune: false, why: 'auto-sync is off' };
    expect(gateApproval(app(true), idle, plan, undefined, 'sha1').kind).toBe('waiting');
    const user: SyncDecision = { sync: true, prune: false, trigger: 'user', initiatedBy: 'user (t)', why: 'requested' };
    expect(gateApproval(app(true), user, plan, undefined, 'sha1')).toEqual({ kind: 'open', decision: user });
  });

  it('self-heals drift at the revision last synced, but not at a new one', () => {
    const heal: SyncDecision = { sync: true, prune: false, trigger: 'self-heal', initiatedBy: 'automated (self-heal)', why: 'drift' };
    expect(gateApproval(app(true), heal, { ...plan, revision: 'sha1' }, undefined, 'sha1').kind).toBe('open');
    expect(gateApproval(app(true), heal, plan, undefined, 'sha1').kind).toBe('waiting');
  });
});

describe('approvalRequest', () => {
  it('reads the hash and who wrote the annotation (its field manager)', () => {
    const a = app(true, { 'capstan.dev/approve': ' aaaa ' }, [
      { manager: 'capstan-controller', fieldsV1: { 'f:status': {} } },
      { manager: 'alice', fieldsV1: { 'f:metadata': { 'f:annotations': { 'f:capstan.dev/approve': {} } } } },
    ]);
    expect(approvalRequest(a)).toEqual({ hash: 'aaaa', by: 'alice' });
    expect(approvalRequest(app(true))).toBeUndefined();
  });
});
