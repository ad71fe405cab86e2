import { describe, expect, it } from '@jest/globals';
import { knownKeyFor } from './argocd-cm-keys.js';
import { parseArgoDuration } from './duration.js';
import { defaultReconciliationJitterMs, defaultReconciliationTimeoutMs, readArgoCdConfig, type ConfigNote } from './settings.js';

const keys = (notes: readonly ConfigNote[]): string[] => notes.map((note) => note.key);
const returnsHealthy = 'return { status = "Healthy" }';

describe('readArgoCdConfig: defaults', () => {
  it('an empty argocd-cm gives Argo CD 3\'s defaults and nothing to report', () => {
    const { settings, problems, ignored } = readArgoCdConfig({});
    expect(settings.reconciliationTimeoutMs).toBe(120_000);
    expect(settings.reconciliationJitterMs).toBe(60_000);
    expect(settings.tracking).toEqual({ method: 'annotation', instanceLabelKey: 'app.kubernetes.io/instance', installationId: '' });
    expect(settings.health.size).toBe(0);
    expect(problems).toEqual([]);
    expect(ignored).toEqual([]);
  });

  it('empty values mean the defaults too', () => {
    const { settings, problems } = readArgoCdConfig({
      'timeout.reconciliation': '', 'timeout.reconciliation.jitter': '', 'application.resourceTrackingMethod': '', 'application.instanceLabelKey': '',
    });
    expect(settings.reconciliationTimeoutMs).toBe(defaultReconciliationTimeoutMs);
    expect(settings.reconciliationJitterMs).toBe(defaultReconciliationJitterMs);
    expect(settings.tracking.method).toBe('annotation');
    expect(settings.tracking.instanceLabelKey).toBe('app.kubernetes.io/instance');
    expect(problems).toEqual([]);
  });
});

describe('readArgoCdConfig: timeouts', () => {
  it.each([
    ['180s', 180_000], ['3m', 180_000], ['1h30m', 5_400_000], ['1.5h', 5_400_000], ['2d', 172_800_000], ['+90s', 90_000], ['0', 0], ['0s', 0],
  ])('timeout.reconciliation %s is %d ms', (value, ms) => {
    const { settings, problems } = readArgoCdConfig({ 'timeout.reconciliation': value });
    expect(settings.reconciliationTimeoutMs).toBe(ms);
    expect(problems).toEqual([]);
  });

  it('0 turns periodic reconciliation off (and 0 jitter adds none): a value, not a problem', () => {
    const { settings, problems } = readArgoCdConfig({ 'timeout.reconciliation': '0', 'timeout.reconciliation.jitter': '0s' });
    expect(settings.reconciliationTimeoutMs).toBe(0);
    expect(settings.reconciliationJitterMs).toBe(0);
    expect(problems).toEqual([]);
  });

  it.each(['abc', '5', '1x', '3 m', '1d2h', '-', 'd'])('a wrong timeout.reconciliation %j is a problem and the default is used', (value) => {
    const { settings, problems } = readArgoCdConfig({ 'timeout.reconciliation': value });
    expect(settings.reconciliationTimeoutMs).toBe(120_000);
    expect(problems).toEqual([{ key: 'timeout.reconciliation', message: expect.stringContaining('is not a duration') as unknown as string }]);
    expect(problems[0]?.message).toContain('default 120s');
  });

  it('a negative timeout is a problem and the default is used', () => {
    const { settings, problems } = readArgoCdConfig({ 'timeout.reconciliation.jitter': '-30s' });
    expect(settings.reconciliationJitterMs).toBe(60_000);
    expect(problems.map((p) => p.message)).toEqual(['timeout.reconciliation.jitter: "-30s" is negative; Argo CD uses its default 60s then, and so does Capstan']);
  });

  it('cuts durations to whole seconds as Argo CD does, and says so', () => {
    const cut = readArgoCdConfig({ 'timeout.reconciliation': '1500ms' });
    expect(cut.settings.reconciliationTimeoutMs).toBe(1000);
    expect(cut.problems.map((p) => p.message)).toEqual(['timeout.reconciliation: "1500ms" is cut to whole seconds (1s), as Argo CD does']);
    const zero = readArgoCdConfig({ 'timeout.reconciliation': '500ms' });
    expect(zero.settings.reconciliationTimeoutMs).toBe(0);
    expect(zero.problems[0]?.message).toContain('0s turns periodic reconciliation off');
  });
});

describe('parseArgoDuration', () => {
  it('reads Go durations, whole days, signs', () => {
    expect(parseArgoDuration('2h')).toEqual({ ok: true, seconds: 7200, truncated: false });
    expect(parseArgoDuration('1d')).toEqual({ ok: true, seconds: 86_400, truncated: false });
    expect(parseArgoDuration('-0')).toEqual({ ok: true, seconds: 0, truncated: false });
    expect(parseArgoDuration('-1m')).toEqual({ ok: false, problem: 'negative' });
    expect(parseArgoDuration('1.5d')).toEqual({ ok: false, problem: 'invalid' });
    expect(parseArgoDuration('')).toEqual({ ok: false, problem: 'invalid' });
  });
});

describe('readArgoCdConfig: tracking', () => {
  it.each(['annotation', 'label', 'annotation+label'] as const)('reads the method %s', (method) => {
    const { settings, problems } = readArgoCdConfig({ 'application.resourceTrackingMethod': method });
    expect(settings.tracking.method).toBe(method);
    expect(problems).toEqual([]);
  });

  it('an unknown method is a problem, and tracking is by annotation as in Argo CD', () => {
    const { settings, problems } = readArgoCdConfig({ 'application.resourceTrackingMethod': 'Label' });
    expect(settings.tracking.method).toBe('annotation');
    expect(keys(problems)).toEqual(['application.resourceTrackingMethod']);
    expect(problems[0]?.message).toContain('"Label" is not a tracking method');
  });

  it('reads the instance label key and the installation id', () => {
    const { settings, problems } = readArgoCdConfig({ 'application.instanceLabelKey': 'example.com/app', installationID: 'blue' });
    expect(settings.tracking).toEqual({ method: 'annotation', instanceLabelKey: 'example.com/app', installationId: 'blue' });
    expect(problems).toEqual([]);
  });

  it('an invalid label key is a problem', () => {
    for (const key of ['not a key', 'Example.com/app', 'example.com/', 'a'.repeat(64)]) {
      const { problems } = readArgoCdConfig({ 'application.instanceLabelKey': key });
      expect(keys(problems)).toEqual(['application.instanceLabelKey']);
    }
  });

  it('the legacy label key is a problem where the label is set (Argo CD labels pod templates too)', () => {
    const legacy = { 'application.instanceLabelKey': 'applications.argoproj.io/app-name' };
    expect(keys(readArgoCdConfig({ ...legacy, 'application.resourceTrackingMethod': 'label' }).problems)).toEqual(['application.instanceLabelKey']);
    expect(readArgoCdConfig(legacy).problems).toEqual([]);
  });
});

describe('readArgoCdConfig: health customizations', () => {
  it('reads split keys and the legacy key, naming argocd-cm as their origin', () => {
    const { settings, problems } = readArgoCdConfig({
      'resource.customizations.health.example.com_Widget': returnsHealthy,
      'resource.customizations.useOpenLibs.example.com_Widget': 'true',
      'resource.customizations': 'other.example.com/Gadget:\n  health.lua: |\n    return { status = "Degraded" }\n',
    });
    expect(problems).toEqual([]);
    expect(settings.health.scriptFor('example.com', 'Widget')).toEqual({
      source: returnsHealthy, openLibs: true, origin: 'argocd-cm key resource.customizations.health.example.com_Widget',
    });
    expect(settings.health.scriptFor('other.example.com', 'Gadget')?.origin).toBe('argocd-cm key resource.customizations, other.example.com/Gadget');
  });

  it('reports the customization types Capstan does not carry out, one problem per key', () => {
    const { problems, ignored } = readArgoCdConfig({
      'resource.customizations.ignoreDifferences.apps_Deployment': 'jsonPointers: [/spec/replicas]',
      'resource.customizations.actions.apps_Deployment': 'discovery.lua: return {}',
      'resource.customizations.knownTypeFields.apps_Deployment': '[]',
      'resource.customizations.useOpenLibs.apps_Deployment': 'maybe',
    });
    expect(keys(problems)).toEqual([
      'resource.customizations.actions.apps_Deployment',
      'resource.customizations.ignoreDifferences.apps_Deployment',
      'resource.customizations.knownTypeFields.apps_Deployment',
      'resource.customizations.useOpenLibs.apps_Deployment',
    ]);
    expect(problems[0]?.message).toContain('does not support');
    expect(ignored).toEqual([]);
  });

  it('lists ignoreResourceUpdates customizations as ignored: they only spare Argo CD refreshes', () => {
    const { problems, ignored } = readArgoCdConfig({
      'resource.customizations.ignoreResourceUpdates.all': 'jsonPointers: [/status]',
      'resource.ignoreResourceUpdatesEnabled': 'true',
    });
    expect(problems).toEqual([]);
    expect(keys(ignored)).toEqual(['resource.customizations.ignoreResourceUpdates.all', 'resource.ignoreResourceUpdatesEnabled']);
  });
});

describe('readArgoCdConfig: keys Capstan does not act on', () => {
  it.each([
    'resource.exclusions', 'resource.inclusions', 'resource.compareoptions', 'resource.respectRBAC', 'kustomize.buildOptions',
    'kustomize.buildOptions.v5.0.0', 'kustomize.version.v5.0.0', 'kustomize.path.v5.0.0', 'helm.valuesFileSchemes', 'globalProjects',
    'resource.includeEventLabelKeys', 'commit.author.name', 'sourceHydrator.commitMessageTemplate',
  ])('%s, which Argo CD acts on, is one problem saying Capstan does not support it', (key) => {
    const { problems, ignored } = readArgoCdConfig({ [key]: 'something' });
    expect(keys(problems)).toEqual([key]);
    expect(problems[0]?.message.startsWith(`${key}: `)).toBe(true);
    expect(problems[0]?.message).toMatch(/Capstan (does not|runs its own|has no)/);
    expect(ignored).toEqual([]);
  });

  it.each([
    'url', 'additionalUrls', 'dex.config', 'dex.auth.connectorId', 'oidc.config', 'users.anonymous.enabled', 'users.session.duration', 'admin.enabled',
    'accounts.alice', 'accounts.alice.enabled', 'ui.cssurl', 'ui.bannercontent', 'help.chatUrl', 'help.download.linux-amd64', 'statusbadge.enabled',
    'exec.enabled', 'application.links', 'extension.config', 'extension.config.metrics', 'webhook.maxPayloadSizeMB', 'resource.customLabels',
    'server.rbac.disableApplicationFineGrainedRBACInheritance', 'repositories', 'repository.credentials', 'server.rbac.log.enforce.enable',
  ])('%s, not used by a GitOps controller, is listed as ignored', (key) => {
    const { problems, ignored } = readArgoCdConfig({ [key]: 'something' });
    expect(problems).toEqual([]);
    expect(keys(ignored)).toEqual([key]);
    expect(ignored[0]?.message.startsWith(`${key}: `)).toBe(true);
  });

  it('an unsupported key whose value asks for what Argo CD does by default is only ignored', () => {
    const harmless = readArgoCdConfig({
      'kustomize.enable': 'true', 'helm.enable': 'true', 'cluster.inClusterEnabled': 'true', 'timeout.hard.reconciliation': '0s',
      'application.sync.impersonation.enabled': 'false', 'application.sync.impersonation.enforced': 'true',
    });
    expect(harmless.problems).toEqual([]);
    expect(harmless.ignored).toHaveLength(6);
    const harmful = readArgoCdConfig({
      'kustomize.enable': 'false', 'cluster.inClusterEnabled': 'false', 'timeout.hard.reconciliation': '1h',
      'application.sync.impersonation.enabled': 'true', 'application.sync.impersonation.enforced': 'true',
    });
    expect(keys(harmful.problems)).toEqual([
      'application.sync.impersonation.enabled', 'application.sync.impersonation.enforced', 'cluster.inClusterEnabled', 'kustomize.enable', 'timeout.hard.reconciliation',
    ]);
    expect(harmful.ignored).toEqual([]);
  });

  it('a key Argo CD does not know is a problem', () => {
    const { problems } = readArgoCdConfig({ 'timeout.reconcilation': '60s', accounts: 'x' });
    expect(problems.map((p) => p.message)).toEqual([
      'accounts: not a key Argo CD 3 reads; it has no effect',
      'timeout.reconcilation: not a key Argo CD 3 reads; it has no effect',
    ]);
  });

  it('reports every key of a full argocd-cm exactly once, sorted, the acted-on keys not at all', () => {
    const data: Record<string, string> = {
      'timeout.reconciliation': '180s',
      'application.resourceTrackingMethod': 'annotation+label',
      installationID: 'blue',
      'resource.customizations.health.example.com_Widget': returnsHealthy,
      'resource.exclusions': '- apiGroups: [""]\n  kinds: [Endpoints]\n',
      'resource.customizations.ignoreResourceUpdates.ConfigMap': 'jsonPointers: [/metadata]',
      'resource.customizations.ignoreDifferences.all': 'jsonPointers: [/status]',
      url: 'https://argocd.example.com',
      'dex.config': 'connectors: []',
      'accounts.ci': 'apiKey',
      'kustomize.buildOptions': '--enable-helm',
      'made.up': 'x',
    };
    const { settings, problems, ignored } = readArgoCdConfig(data);
    expect(settings.reconciliationTimeoutMs).toBe(180_000);
    expect(settings.tracking).toEqual({ method: 'annotation+label', instanceLabelKey: 'app.kubernetes.io/instance', installationId: 'blue' });
    expect(settings.health.size).toBe(1);
    expect(keys(problems)).toEqual(['kustomize.buildOptions', 'made.up', 'resource.customizations.ignoreDifferences.all', 'resource.exclusions']);
    expect(keys(ignored)).toEqual(['accounts.ci', 'dex.config', 'resource.customizations.ignoreResourceUpdates.ConfigMap', 'url']);
  });
});

describe('knownKeyFor', () => {
  it('prefers an exact key, then the longest prefix', () => {
    expect(knownKeyFor('kustomize.buildOptions')?.key).toBe('kustomize.buildOptions');
    expect(knownKeyFor('kustomize.buildOptions.v4')?.key).toBe('kustomize.buildOptions.');
    expect(knownKeyFor('extension.config')?.key).toBe('extension.config');
    expect(knownKeyFor('extension.config.x')?.key).toBe('extension.config.');
    expect(knownKeyFor('accounts.')).toBeUndefined();
    expect(knownKeyFor('nothing')).toBeUndefined();
  });
});
