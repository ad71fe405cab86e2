// The argocd-cm keys of Argo CD 3 that Capstan does not act on, and why. Keys Capstan reads
// (timeouts, tracking, health customizations) are handled in settings.ts.
import { parseArgoDuration } from './duration.js';

/**
 * - `unsupported`: Argo CD's application controller or repo server acts on it and Capstan does
 *   not, so an app may behave differently (a problem).
 * - `notForController`: read by another part of Argo CD (API server, UI, SSO, accounts,
 *   webhooks), or no longer read by Argo CD 3 at all; no bearing on what a GitOps controller
 *   applies (listed as ignored).
 */
export type KeyTreatment = 'unsupported' | 'notForController';

export interface KnownKey {
  /** The exact key, or, ending in '.', a prefix every key of the family starts with. */
  readonly key: string;
  readonly treatment: KeyTreatment;
  /** Completes "<key>: " in a message. */
  readonly why: string;
  /**
   * For `unsupported` keys: true when the value is what Argo CD does anyway, so Capstan behaves
   * the same and the key is only listed as ignored.
   */
  readonly harmless?: (value: string, data: Readonly<Record<string, string>>) => boolean;
}

const unsupported = (key: string, why: string, harmless?: KnownKey['harmless']): KnownKey =>
  harmless === undefined ? { key, treatment: 'unsupported', why } : { key, treatment: 'unsupported', why, harmless };
const notForController = (key: string, why: string): KnownKey => ({ key, treatment: 'notForController', why });

const isTrueOrUnset = (value: string): boolean => value === '' || value === 'true';
const isNotTrue = (value: string): boolean => value !== 'true';
const server = 'read by Argo CD\'s API server, not by a GitOps controller';
const ui = 'a setting of Argo CD\'s web UI, not used by a GitOps controller';
const sso = 'single sign-on for Argo CD\'s API server and UI, not used by a GitOps controller';
const accounts = 'Argo CD\'s local users, not used by a GitOps controller';
const hydrator = 'Capstan has no source hydrator; the key has no effect';
const kustomize = 'Capstan runs its own kustomize build, with no configured versions, paths or build options; the key has no effect';
const removed = (what: string): string => `Argo CD 3.0 no longer reads it (${what}); neither does Capstan`;

/** From Argo CD's util/settings/settings.go, util/settings/accounts.go and its argocd-cm reference. */
export const knownArgoCdKeys: readonly KnownKey[] = [
  // What the application controller and repo server act on.
  unsupported('timeout.hard.reconciliation', 'Capstan has no hard reconciliation period (a refresh that skips every cache); the key has no effect',
    (value) => {
      const duration = parseArgoDuration(value);
      return value === '' || (duration.ok && duration.seconds === 0);
    }),
  unsupported('resource.exclusions', 'Capstan does not support resource exclusions: it watches and applies every kind an app declares'),
  unsupported('resource.inclusions', 'Capstan does not support resource inclusions: it watches and applies every kind an app declares'),
  unsupported('resource.compareoptions', 'Capstan does not support Argo CD\'s compare options (ignoreAggregatedRoles, ignoreResourceStatusField, ignoreDifferencesOnResourceUpdates); the key has no effect'),
  unsupported('resource.respectRBAC', 'Capstan does not limit its watches to what its RBAC allows; the key has no effect', (value) => value === ''),
  unsupported('resource.includeEventLabelKeys', 'Capstan does not copy Application labels to its Events; the key has no effect'),
  unsupported('resource.excludeEventLabelKeys', 'Capstan does not copy Application labels to its Events; the key has no effect'),
  unsupported('kustomize.buildOptions', kustomize),
  unsupported('kustomize.buildOptions.', kustomize),
  unsupported('kustomize.version.', kustomize),
  unsupported('kustomize.path.', kustomize),
  unsupported('kustomize.enable', 'Capstan does not support turning off Kustomize source detection; the key has no effect', isTrueOrUnset),
  unsupported('helm.enable', 'Capstan does not support turning off Helm source detection; the key has no effect', isTrueOrUnset),
  unsupported('jsonnet.enable', 'Capstan does not support turning off Jsonnet source detection; the key has no effect', isTrueOrUnset),
  unsupported('helm.valuesFileSchemes', 'Capstan does not support remote Helm values files by URL scheme; the key has no effect'),
  unsupported('globalProjects', 'Capstan does not support global projects (AppProjects inheriting from others); the key has no effect'),
  unsupported('cluster.inClusterEnabled', 'Capstan does not support turning off the in-cluster destination; the key has no effect', isTrueOrUnset),
  unsupported('application.sync.impersonation.enabled', 'Capstan does not support sync impersonation (destination service accounts); the key has no effect', isNotTrue),
  unsupported('application.sync.impersonation.enforced', 'Capstan does not support sync impersonation (destination service accounts); the key has no effect',
    (_value, data) => isNotTrue(data['application.sync.impersonation.enabled'] ?? '')),
  unsupported('commit.author.name', hydrator),
  unsupported('commit.author.email', hydrator),
  unsupported('sourceHydrator.commitMessageTemplate', hydrator),
  unsupported('sourceHydrator.readmeMessageTemplate', hydrator),

  // Refresh tuning: spares Argo CD reconciles, does not change what is applied.
  notForController('resource.ignoreResourceUpdatesEnabled', 'only spares Argo CD refreshes on resource updates; Capstan does not use it'),

  // The API server, UI, SSO and accounts.
  notForController('url', server),
  notForController('additionalUrls', server),
  notForController('dex.config', sso),
  notForController('dex.auth.connectorId', sso),
  notForController('oidc.config', sso),
  notForController('oidc.tls.insecure.skip.verify', sso),
  notForController('users.anonymous.enabled', accounts),
  notForController('users.session.duration', accounts),
  notForController('passwordPattern', accounts),
  notForController('admin.enabled', accounts),
  notForController('accounts.', accounts),
  notForController('server.rbac.disableApplicationFineGrainedRBACInheritance', server),
  notForController('server.rbac.rollback.enforce.enable', server),
  notForController('server.maxPodLogsToRender', server),
  notForController('application.sync.requireOverridePrivilegeForRevisionSync', server),
  notForController('exec.enabled', server),
  notForController('exec.shells', server),
  notForController('statusbadge.enabled', server),
  notForController('statusbadge.url', server),
  notForController('webhook.maxPayloadSizeMB', server),
  notForController('webhook.refresh.jitter', server),
  notForController('webhook.refresh.jitter.threshold', server),
  notForController('resource.sensitive.mask.annotations', server),
  notForController('resource.customLabels', ui),
  notForController('application.allowedNodeLabels', ui),
  notForController('application.links', ui),
  notForController('project.links', ui),
  notForController('resource.links', ui),
  notForController('extension.config', ui),
  notForController('extension.config.', ui),
  notForController('ga.trackingid', ui),
  notForController('ga.anonymizeusers', ui),
  notForController('help.chatUrl', ui),
  notForController('help.chatText', ui),
  notForController('help.download.', ui),
  notForController('ui.', ui),

  // Gone in Argo CD 3.0.
  notForController('repositories', removed('repositories are Secrets')),
  notForController('repository.credentials', removed('repository credentials are Secrets')),
  notForController('helm.repositories', removed('repositories are Secrets')),
  notForController('server.rbac.log.enforce.enable', removed('log access is always enforced')),
];

/** The entry for `key`: an exact entry first, else the longest prefix entry; undefined for a key Argo CD does not know. */
export function knownKeyFor(key: string): KnownKey | undefined {
  const exact = knownArgoCdKeys.find((entry) => !entry.key.endsWith('.') && entry.key === key);
  if (exact !== undefined) return exact;
  let best: KnownKey | undefined;
  for (const entry of knownArgoCdKeys) {
    if (entry.key.endsWith('.') && key.startsWith(entry.key) && key.length > entry.key.length && (best === undefined || entry.key.length > best.key.length)) best = entry;
  }
  return best;
}
