import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { groupOf } from '../../api/object.js';
import { readHealthCustomizations } from '../../cli/health-customizations.js';
import { assessHealth } from '../registry.js';
import { CustomHealthChecks, builtInHealth } from './checks.js';
import { HealthCustomizations } from './customizations.js';
import { customCheckFiles, customChecksDir, customHealthExpectations, customObjectFiles, loadCustomObject } from './testing/expectations.js';

let customizations: HealthCustomizations;
let checks: CustomHealthChecks;

beforeAll(async () => {
  customizations = await readHealthCustomizations(customChecksDir);
  checks = new CustomHealthChecks(customizations);
});

afterAll(async () => {
  await checks.close();
});

/** The health.lua (relative to checks/) that the object of `file` is assessed by, if any. */
function scriptOf(file: string): string | undefined {
  const obj = loadCustomObject(file);
  return customizations.scriptFor(groupOf(obj.apiVersion), obj.kind)?.origin.slice(customChecksDir.length + 1);
}

describe('CustomHealthChecks with the test checks', () => {
  // Rows as objects: jest would take a missing third array element for its `done` callback.
  const rows = customHealthExpectations.map(([file, status, mentions]) => ({ file, status, mentions: mentions ?? null }));
  it.each(rows)('$file is $status', async ({ file, status, mentions }) => {
    const health = await checks.assess(loadCustomObject(file));
    expect(health?.status ?? null).toBe(status);
    if (mentions !== null) expect(health?.message).toContain(mentions);
  });

  it('names the failing script in the message of an Unknown', async () => {
    const failed = await checks.assess(loadCustomObject('gadget-no-status.yaml'));
    expect(failed?.message).toContain(`health check (${customChecksDir}/broken.example.com/Gadget/health.lua) failed`);
    const uncompiled = await checks.assess(loadCustomObject('gizmo-ready.yaml'));
    expect(uncompiled?.message).toContain(`${customChecksDir}/broken.example.com/Gizmo/health.lua`);
  });

  it('gives a different health than the built-in rules where a script decides otherwise', async () => {
    for (const [file, builtIn] of [
      ['widget-provisioning.yaml', 'Degraded'],
      ['deployment-paused-available.yaml', 'Suspended'],
      ['deployment-none-available.yaml', 'Progressing'],
      ['bucket-unversioned.yaml', 'Healthy'],
    ] as const) {
      const obj = loadCustomObject(file);
      expect({ file, status: (await builtInHealth.assess(obj))?.status }).toEqual({ file, status: builtIn });
      expect({ file, status: (await checks.assess(obj))?.status }).not.toEqual({ file, status: builtIn });
    }
  });

  it('uses the built-in rules for kinds without a script', async () => {
    const provider = loadCustomObject('crossplane-provider-not-matched.yaml');
    expect(scriptOf('crossplane-provider-not-matched.yaml')).toBeUndefined();
    await expect(checks.assess(provider)).resolves.toEqual(assessHealth(provider));
  });

  it('picks the script by group and kind: exact, core-group ConfigMap, then the wildcard directories', () => {
    expect(scriptOf('widget-ready.yaml')).toBe('example.com/Widget/health.lua');
    expect(scriptOf('configmap-ready.yaml')).toBe('_/ConfigMap/health.lua');
    expect(scriptOf('configmap-other-group.yaml')).toBe('_/ConfigMap/health.lua');
    expect(scriptOf('bucket-unversioned.yaml')).toBe('s3.aws.crossplane.example.com/Bucket/health.lua');
    expect(scriptOf('crossplane-s3-policy.yaml')).toBe('_.crossplane.example.com/_/health.lua');
    expect(scriptOf('crossplane-rds-ready.yaml')).toBe('_.crossplane.example.com/_/health.lua');
  });

  it('has an expectation for every object file, and at least one object for every script', () => {
    expect(customHealthExpectations.map(([file]) => file).sort()).toEqual(customObjectFiles());
    const used = new Set(customHealthExpectations.map(([file]) => scriptOf(file)));
    expect(customCheckFiles().filter((script) => !used.has(script))).toEqual([]);
    expect(customCheckFiles().length).toBeGreaterThanOrEqual(12);
  });

  it('reaches every health status through the scripts, and no health', () => {
    const reached = new Set(customHealthExpectations.map(([, status]) => status));
    for (const status of ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown', null] as const) expect(reached).toContain(status);
  });

  it('takes new scripts with use(): the next assessment runs them', async () => {
    const widget = loadCustomObject('widget-ready.yaml');
    const other = new CustomHealthChecks(customizations);
    try {
      await expect(other.assess(widget)).resolves.toMatchObject({ status: 'Healthy' });
      const replaced = { source: 'return { status = "Degraded", message = "replaced" }', openLibs: false, origin: 'test' };
      other.use(new HealthCustomizations([{ pattern: 'example.com/Widget', script: replaced }], { wildcardCrossesSlash: true }));
      await expect(other.assess(widget)).resolves.toEqual({ status: 'Degraded', message: 'replaced' });
      other.use(HealthCustomizations.none);
      await expect(other.assess(widget)).resolves.toEqual(assessHealth(widget));
    } finally {
      await other.close();
    }
  });
});
