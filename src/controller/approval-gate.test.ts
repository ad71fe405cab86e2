import { describe, expect, it } from '@jest/globals';
import type { Application, DeployPlan } from '../api/application.js';
import type { AppProjectSpec, DestinationRef } from '../projects/index.js';
import { project } from '../projects/testing/project.js';
import { approvalRequest, approvalRequirement, gateApproval, type ApprovalRequirement } from './approval-gate.js';
import type { SyncDecision } from './decide.js';

const app = (required: boolean, annotations?: Record<string, string>, managedFields?: Application['metadata']['managedFields']): Application => ({
  apiVersion: 'capstan.dev/v1alpha1', kind: 'Application',
  metadata: { name: 'prod', namespace: 'team', ...(annotations !== undefined ? { annotations } : {}), ...(managedFields !== undefined ? { managedFields } : {}) },
  spec: { source: { repoURL: 'r' }, destination: {}, syncPolicy: { automated: { prune: false }, approval: { required } } },
});
const inCluster: DestinationRef = { server: 'https://kubernetes.default.svc', name: 'in-cluster', namespace: 'shop-prod' };
/** What the app's own spec requires, without a project. */
const own = (a: Application): ApprovalRequirement | undefined => approvalRequirement(a, undefined, inCluster);
const plan: DeployPlan = { revision: 'sha2', hash: 'aaaa', counts: { create: 1, update: 0, prune: 1, hook: 0 }, items: [] };
const automated: SyncDecision = { sync: true, prune: false, trigger: 'automated', initiatedBy: 'automated', why: 'new revision' };
const heal: SyncDecision = { sync: true, prune: false, trigger: 'self-heal', initiatedBy: 'automated (self-heal)', why: 'drift' };

describe('gateApproval', () => {
  it('lets everything through when approval is not required', () => {
    expect(gateApproval(app(false), own(app(false)), automated, plan, undefined, 'sha1')).toEqual({ kind: 'open', decision: automated });
  });

  it('holds an automated sync until the plan is approved, then applies that plan with its prunes, naming approver and plan', () => {
    const held = gateApproval(app(true), own(app(true)), automated, plan, undefined, 'sha1');
    expect(held.kind).toBe('waiting');
    expect(held.decision).toMatchObject({ sync: false, approval: 'awaiting approval of plan aaaa: capstan app approve prod --plan aaaa' });
    const approved = gateApproval(app(true), own(app(true)), automated, plan, { hash: 'aaaa', by: 'alice' }, 'sha1');
    expect(approved).toMatchObject({
      kind: 'approved',
      decision: { sync: true, prune: true, trigger: 'user', initiatedBy: 'approved by alice (plan aaaa)', approved: { by: 'alice', planHash: 'aaaa' } },
    });
  });

  it('applies nothing for an approval of another plan, and says which', () => {
    const stale = gateApproval(app(true), own(app(true)), automated, plan, { hash: 'bbbb', by: 'bob' }, 'sha1');
    expect(stale).toMatchObject({ kind: 'waiting', decision: { sync: false }, stale: { hash: 'bbbb', by: 'bob' } });
  });

  it('holds an app that does not sync by itself too, and lets syncs asked for by hand go', () => {
    const idle: SyncDecision = { sync: false, prune: false, why: 'auto-sync is off' };
    expect(gateApproval(app(true), own(app(true)), idle, plan, undefined, 'sha1').kind).toBe('waiting');
    const user: SyncDecision = { sync: true, prune: false, trigger: 'user', initiatedBy: 'user (t)', why: 'requested' };
    expect(gateApproval(app(true), own(app(true)), user, plan, undefined, 'sha1')).toEqual({ kind: 'open', decision: user });
  });

  it('self-heals drift at the revision last synced, but not at a new one', () => {
    expect(gateApproval(app(true), own(app(true)), heal, { ...plan, revision: 'sha1' }, undefined, 'sha1').kind).toBe('open');
    expect(gateApproval(app(true), own(app(true)), heal, plan, undefined, 'sha1').kind).toBe('waiting');
  });
});

describe('gateApproval with a project rule', () => {
  const prodTeam = (approval: AppProjectSpec['approval']) => project('prod-team', { approval });
  const byNamespace = prodTeam({ destinations: [{ name: 'in-cluster', namespace: '*-prod' }] });

  it('holds an app without approval in its spec whose destination the project names, saying the project requires it', () => {
    const requirement = approvalRequirement(app(false), byNamespace, inCluster);
    expect(requirement).toMatchObject({ selfHeal: true, project: { name: 'prod-team', rule: { name: 'in-cluster', namespace: '*-prod' } } });
    const held = gateApproval(app(false), requirement, automated, plan, undefined, 'sha1');
    expect(held).toMatchObject({
      kind: 'waiting',
      decision: {
        sync: false,
        approval: 'project prod-team requires approval for destination in-cluster/shop-prod (approval.destinations: name=in-cluster/*-prod); awaiting approval of plan aaaa: capstan app approve prod --plan aaaa',
      },
    });
    expect(gateApproval(app(false), requirement, automated, plan, { hash: 'aaaa', by: 'alice' }, 'sha1')).toMatchObject({ kind: 'approved', decision: { approved: { by: 'alice', planHash: 'aaaa' } } });
  });

  it('lets an app whose destination no rule names through, and cannot be opted out of by the app', () => {
    expect(approvalRequirement(app(false), byNamespace, { ...inCluster, namespace: 'shop-stage' })).toBeUndefined();
    expect(approvalRequirement(app(false), prodTeam({ destinations: [{ server: 'https://prod:6443', namespace: '*' }] }), inCluster)).toBeUndefined();
    // `!` excludes, as in spec.destinations.
    const exceptCanary = prodTeam({ destinations: [{ name: '*', namespace: '*' }, { name: '*', namespace: '!*-canary' }] });
    expect(approvalRequirement(app(false), exceptCanary, { ...inCluster, namespace: 'shop-canary' })).toBeUndefined();
    expect(approvalRequirement(app(false), exceptCanary, inCluster)).toBeDefined();
    // required: false in the app says nothing against the project.
    expect(approvalRequirement(app(false), byNamespace, inCluster)).toBeDefined();
    // A rule by server matches too.
    expect(approvalRequirement(app(false), prodTeam({ destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'shop-*' }] }), inCluster)).toBeDefined();
  });

  it('holds self-heal at the revision last synced too with approval.selfHeal false, for apps required by the project or by their spec', () => {
    const strict = prodTeam({ destinations: [{ name: 'in-cluster', namespace: '*-prod' }], selfHeal: false });
    const atLastSync = { ...plan, revision: 'sha1' };
    for (const a of [app(false), app(true)]) {
      const requirement = approvalRequirement(a, strict, inCluster);
      expect(requirement?.selfHeal).toBe(false);
      expect(gateApproval(a, requirement, heal, atLastSync, undefined, 'sha1').kind).toBe('waiting');
      expect(gateApproval(a, requirement, heal, atLastSync, { hash: 'aaaa', by: 'carol' }, 'sha1')).toMatchObject({ kind: 'approved', decision: { approved: { by: 'carol', planHash: 'aaaa' } } });
    }
    // selfHeal false alone requires nothing of an app the project does not name and that does not require approval itself.
    expect(approvalRequirement(app(false), prodTeam({ selfHeal: false }), inCluster)).toBeUndefined();
    expect(approvalRequirement(app(true), prodTeam({ selfHeal: false }), inCluster)).toEqual({ selfHeal: false });
    // By default self-heal stays automatic.
    expect(gateApproval(app(false), approvalRequirement(app(false), byNamespace, inCluster), heal, atLastSync, undefined, 'sha1').kind).toBe('open');
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
