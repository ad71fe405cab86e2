// Test support (not built into dist/): custom Lua health checks laid out as Argo CD's
// resource_customizations tree (checks/), objects for them (objects/, one per file), and what
// each object should assess to through those checks.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../../../api/object.js';
import { parseManifests } from '../../../render/parse.js';
import type { HealthFixtureExpectation } from '../../testing/fixtures.js';

/** `<group>/<Kind>/health.lua`, `_` for `*`. */
export const customChecksDir = join(import.meta.dirname, 'checks');
export const customObjectsDir = join(import.meta.dirname, 'objects');

export function customObjectText(file: string): string {
  return readFileSync(join(customObjectsDir, file), 'utf8');
}

/** One object file, read as `capstan health -f` reads it. */
export function loadCustomObject(file: string): KubeObject {
  const parsed = parseManifests(customObjectText(file), file, 'yaml');
  if (!parsed.ok || parsed.objects.length !== 1) throw new Error(`${file} does not hold exactly one object`);
  const [obj] = parsed.objects;
  if (obj === undefined) throw new Error(`${file} holds no object`);
  return obj;
}

/** The object files under objects/, sorted. */
export function customObjectFiles(): string[] {
  return readdirSync(customObjectsDir).filter((f) => f.endsWith('.yaml')).sort();
}

/** Every health.lua under checks/, as paths relative to it (`example.com/Widget/health.lua`), sorted. */
export function customCheckFiles(): string[] {
  return readdirSync(customChecksDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('/health.lua'))
    .sort();
}

/** [object file, expected status (null: no health), text the message must contain]. */
export const customHealthExpectations: readonly HealthFixtureExpectation[] = [
  // example.com/Widget: observed generation, then Ready (Ready=False while provisioning is progress).
  ['widget-ready.yaml', 'Healthy', 'all 4 sprockets turning'],
  ['widget-provisioning.yaml', 'Progressing', 'Provisioning: waiting for the volume'],
  ['widget-failed.yaml', 'Degraded', 'QuotaExceeded: no more than 3 gears'],
  ['widget-stale-generation.yaml', 'Progressing', 'observe generation 5'],
  // Deleting: Progressing without running the script.
  ['widget-deleting.yaml', 'Progressing', 'pending deletion'],

  // db.example.com/Database: paused, then Ready True / False / Unknown.
  ['database-ready.yaml', 'Healthy', 'Database is ready'],
  ['database-paused.yaml', 'Suspended', 'Database is paused'],
  ['database-failed.yaml', 'Degraded', 'could not open the data directory'],
  ['database-starting.yaml', 'Progressing', 'starting: replaying the write-ahead log'],

  // queue.example.com/Queue: Stalled, then Reconciling, then Ready.
  ['queue-ready.yaml', 'Healthy', 'Queue is ready'],
  ['queue-reconciling.yaml', 'Progressing', 'Reconciling: 3 of 6 partitions created'],
  ['queue-stalled.yaml', 'Degraded', 'Stalled: broker mq-0 refused the connection'],

  // certs.example.com/Certificate: Issuing, Ready, and notAfter against os.time().
  ['certificate-ready.yaml', 'Healthy', 'has not expired'],
  ['certificate-expired.yaml', 'Degraded', 'Certificate expired on 2021-01-31T23:59:59Z'],
  ['certificate-issuing.yaml', 'Progressing', 'Issuing: Renewing certificate'],
  ['certificate-not-ready.yaml', 'Degraded', 'IssuerNotReady: issuer shop-ca is not ready'],
  ['certificate-pending.yaml', 'Progressing', 'Waiting for the certificate to be issued'],

  // rollouts.example.com/Rollout: abort, pause, canary steps, updated and available replicas.
  ['rollout-healthy.yaml', 'Healthy'],
  ['rollout-paused.yaml', 'Suspended', 'Rollout is paused (CanaryPauseStep)'],
  ['rollout-spec-paused.yaml', 'Suspended', 'Rollout is paused'],
  ['rollout-canary-step.yaml', 'Progressing', 'Canary at step 2 of 3'],
  ['rollout-updating.yaml', 'Progressing', '1 of 3 replicas updated'],
  ['rollout-unavailable.yaml', 'Progressing', '2 of 3 updated replicas are available'],
  ['rollout-aborted.yaml', 'Degraded', 'Rollout aborted: metric error-rate exceeded 5%'],

  // dns.example.com/Record: string.gsub, lower, sub, len, find, format, upper.
  ['record-published.yaml', 'Healthy', 'CNAME www.example.com -> shop.lb.example.net'],
  ['record-outside-zone.yaml', 'Degraded', 'record www.example.org lies outside zone example.com'],
  ['record-no-target.yaml', 'Progressing', 'record api.example.com has no target yet'],
  ['record-pending.yaml', 'Progressing', 'Waiting for the record to be published'],

  // backup.example.com/Schedule: require("os"), os.time() and os.date.
  ['schedule-recent.yaml', 'Healthy', 'Last successful backup at 2025-01-01T03:00:00Z'],
  ['schedule-stale.yaml', 'Degraded', 'at 2001-09-09T01:46:40Z is older than 691200 seconds'],
  ['schedule-suspended.yaml', 'Suspended', 'Backups are suspended'],
  ['schedule-never-run.yaml', 'Progressing', 'No backup has completed yet'],

  // _.crossplane.example.com/_: any kind of any subgroup of crossplane.example.com.
  ['crossplane-rds-ready.yaml', 'Healthy', 'RDSInstance is available'],
  ['crossplane-vpc-not-synced.yaml', 'Degraded', 'Not synced: cannot create VPC'],
  ['crossplane-topic-creating.yaml', 'Progressing', 'Topic is creating'],
  ['crossplane-s3-policy.yaml', 'Healthy', 'BucketPolicy is available'],
  // crossplane.example.com itself: no script, the built-in Ready rule.
  ['crossplane-provider-not-matched.yaml', 'Healthy'],
  // s3.aws.crossplane.example.com/Bucket: named exactly, chosen over the wildcard.
  ['bucket-versioned.yaml', 'Healthy', 'Bucket is available and versioned'],
  ['bucket-unversioned.yaml', 'Degraded', 'Bucket versioning is Suspended, expected Enabled'],

  // _/ConfigMap: the core group's ConfigMap (and ConfigMap of any group); nil is no health.
  ['configmap-ready.yaml', 'Healthy', 'state is ready'],
  ['configmap-pending.yaml', 'Progressing', 'state is pending'],
  ['configmap-missing-state.yaml', 'Missing', 'data.state is not set'],
  ['configmap-unchecked.yaml', null],
  ['configmap-other-group.yaml', 'Suspended', 'state is paused'],

  // apps/Deployment: the script overrides the built-in rule.
  ['deployment-paused-available.yaml', 'Healthy', '3/3 replicas available'],
  ['deployment-none-available.yaml', 'Degraded', 'no replicas available'],
  ['deployment-partly-available.yaml', 'Progressing', '1/3 replicas available'],
  ['deployment-scaled-to-zero.yaml', 'Healthy', '0/0 replicas available'],

  // legacy.example.com/Pipeline: Lua 5.1 (unpack, table.getn, math.pow).
  ['pipeline-done.yaml', 'Healthy', 'all 3 stages succeeded'],
  ['pipeline-running.yaml', 'Progressing', '1 of 3 stages succeeded, test is running'],
  ['pipeline-retrying.yaml', 'Progressing', 'stage build failed, retry 2 in 20 s'],
  ['pipeline-failed.yaml', 'Degraded', 'stage test failed 3 times'],
  ['pipeline-not-started.yaml', 'Progressing', 'no stage has run yet'],

  // broken.example.com/Gadget: fails at run time on some objects, returns no health status on others.
  ['gadget-healthy.yaml', 'Healthy', 'gadget is healthy'],
  ['gadget-no-status.yaml', 'Unknown', 'attempt to index a nil value'],
  ['gadget-invalid-phase.yaml', 'Unknown', 'invalid health status "Humming"'],
  // broken.example.com/Gizmo: does not compile.
  ['gizmo-ready.yaml', 'Unknown', 'does not compile'],
  ['gizmo-not-ready.yaml', 'Unknown', 'does not compile'],
];
