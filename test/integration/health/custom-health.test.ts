// Issue 11, acceptance 2 and 3: health checks in Lua from the ConfigMap capstan-config in the
// controller's namespace. An app whose custom resource turns Degraded shows Degraded; editing the
// script changes the app's health without a restart; a script that never ends gives Unknown while
// the controller goes on serving other apps; without the ConfigMap the built-in rules apply again.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiextensionsV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { Application } from '../../../src/api/application.js';
import { isSyncedHealthy, kubectl, kubectlApply, waitForCrdsEstablished } from '../support/capstan.js';
import { eventually } from '../support/kube.js';
import { configMap } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';

// A long interval: every health change below comes from a watch (the widget's, or the ConfigMap's).
const s = new Scenario('luahealth', { intervalMs: 600_000 });
const group = `${s.namespace}.capstan.test`;
const healthKey = `resource.customizations.health.${group}_Widget`;
let core: CoreV1Api;
let widgetsNs = '';

const phaseScript = (failed: string): string => `
hs = {}
if obj.status ~= nil and obj.status.phase ~= nil then
  if obj.status.phase == "Ready" then
    hs.status = "Healthy"
    hs.message = "widget of size " .. obj.spec.size .. " is ready"
    return hs
  end
  if obj.status.phase == "Failed" then
    hs.status = "${failed}"
    hs.message = "widget failed: " .. (obj.status.reason or "no reason")
    return hs
  end
end
hs.status = "Progressing"
hs.message = "waiting for the widget"
return hs
`;

function applyConfig(data: Record<string, string>): void {
  kubectlApply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'capstan-config', namespace: s.namespace }, data });
}

function setWidgetStatus(status: Record<string, unknown>): void {
  kubectl('-n', widgetsNs, 'patch', `widgets.${group}`, 'w1', '--subresource=status', '--type', 'merge', '-p', JSON.stringify({ status }));
}

const health = (a: Application) => a.status?.health;
const widgetHealth = (a: Application) => a.status?.resources?.find((r) => r.kind === 'Widget')?.health;

beforeAll(async () => {
  await s.setUp();
  core = s.kc.makeApiClient(CoreV1Api);
  kubectlApply({
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `widgets.${group}` },
    spec: {
      group, scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [{
        name: 'v1', served: true, storage: true, subresources: { status: {} },
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } }, status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } },
      }],
    },
  });
  await waitForCrdsEstablished(`widgets.${group}`);
  widgetsNs = s.destination('widgets');
});
afterAll(async () => {
  await s.tearDown();
  await s.kc.makeApiClient(ApiextensionsV1Api).deleteCustomResourceDefinition({ name: `widgets.${group}` }).catch(() => undefined);
});

describe('custom health checks in Lua from capstan-config', () => {
  it("assesses a custom resource by its script, and follows the object and the script's edits without a restart", async () => {
    applyConfig({ [healthKey]: phaseScript('Degraded'), 'resource.customizations.actions.apps_Deployment': 'discovery.lua: return {}' });
    s.repo.write('widgets/w1.yaml', `apiVersion: ${group}/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  size: 3\n`);
    s.repo.write('widgets/settings.yaml', configMap('settings'));
    s.repo.commit('a widget');
    await s.apps.create('widgets', { repoURL: s.repo.url, path: 'widgets', destinationNamespace: widgetsNs });

    const waiting = await s.apps.waitFor('widgets', 'Synced, and Progressing by the script', (a) => a.status?.sync?.status === 'Synced' && health(a)?.status === 'Progressing');
    expect(widgetHealth(waiting)).toEqual({ status: 'Progressing', message: 'waiting for the widget' });

    setWidgetStatus({ phase: 'Ready' });
    const ready = await s.apps.waitFor('widgets', 'Healthy once the widget is ready', (a) => health(a)?.status === 'Healthy');
    expect(widgetHealth(ready)).toEqual({ status: 'Healthy', message: 'widget of size 3 is ready' });

    setWidgetStatus({ phase: 'Failed', reason: 'disk full' });
    const degraded = await s.apps.waitFor('widgets', 'Degraded once the widget failed', (a) => health(a)?.status === 'Degraded');
    expect(widgetHealth(degraded)).toEqual({ status: 'Degraded', message: 'widget failed: disk full' });
    expect(health(degraded)?.message).toContain('widget failed: disk full');

    // The key Capstan does not carry out is said on the ConfigMap, not dropped in silence.
    const warned = await eventually('an InvalidConfig Event on capstan-config', async () => {
      const events = await core.listNamespacedEvent({ namespace: s.namespace, fieldSelector: 'involvedObject.name=capstan-config,involvedObject.kind=ConfigMap' });
      return events.items.find((e) => e.reason === 'InvalidConfig');
    });
    expect(warned.message).toContain('resource.customizations.actions.apps_Deployment');

    // Only the script changes: the app's health follows it.
    applyConfig({ [healthKey]: phaseScript('Suspended') });
    const suspended = await s.apps.waitFor('widgets', 'Suspended by the edited script', (a) => health(a)?.status === 'Suspended');
    expect(widgetHealth(suspended)).toEqual({ status: 'Suspended', message: 'widget failed: disk full' });
    expect(suspended.status?.sync?.status).toBe('Synced');
  });

  it('gives Unknown for a script that never ends, while the controller goes on serving other apps', async () => {
    applyConfig({ [healthKey]: 'while true do end' });
    const looping = await s.apps.waitFor('widgets', 'Unknown: the script ran past its time limit', (a) => health(a)?.status === 'Unknown');
    expect(widgetHealth(looping)?.message).toMatch(/ran past its time limit|did not finish within 900 ms/);
    expect(widgetHealth(looping)?.message).toContain(healthKey);

    // Inside C (a string match), where the instruction hook cannot stop it: the worker is stopped.
    applyConfig({ [healthKey]: 'local s = string.rep("a", 50000) return { status = tostring(string.find(s, ".-.-.-.-.-b")) }', [`resource.customizations.useOpenLibs.${group}_Widget`]: 'true' });
    const hung = await s.apps.waitFor('widgets', 'Unknown: the worker was stopped', (a) => /did not finish within 900 ms/.test(widgetHealth(a)?.message ?? ''));
    expect(health(hung)?.status).toBe('Unknown');

    s.repo.write('plain/settings.yaml', configMap('plain-settings', { colour: 'blue' }));
    s.repo.commit('a plain app');
    const plainNs = s.destination('plain');
    await s.apps.create('plain', { repoURL: s.repo.url, path: 'plain', destinationNamespace: plainNs });
    await s.apps.waitFor('plain', 'Synced and Healthy', isSyncedHealthy);
    expect((await core.readNamespacedConfigMap({ name: 'plain-settings', namespace: plainNs })).data).toEqual({ colour: 'blue' });
    // And the hostile script is still assessed (and still Unknown), not given up on.
    expect(health(await s.apps.mustGet('widgets'))?.status).toBe('Unknown');
  });

  it('returns to the built-in rules when the ConfigMap is deleted', async () => {
    kubectl('-n', s.namespace, 'delete', 'configmap', 'capstan-config');
    // A custom resource without a Ready condition has no built-in rule: it counts as Healthy.
    const builtIn = await s.apps.waitFor('widgets', 'Healthy by the built-in rules', (a) => health(a)?.status === 'Healthy');
    expect(widgetHealth(builtIn)).toEqual({ status: 'Healthy' });
  });
});
