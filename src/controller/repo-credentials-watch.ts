/**
 * Watches the repository Secrets (either label) and the ConfigMaps capstan-known-hosts and
 * capstan-tls-certs in the controller's namespace, and answers which credential serves a URL
 * from what the watches hold now: a rotated Secret is used at the next git command. A Secret
 * that cannot be used is logged once per version (its name and why, never its data).
 */
import type { Logger } from 'pino';
import { isRecord, type KubeObject } from '../api/object.js';
import { knownHostsConfigMap, tlsCertsConfigMap, type RepoTrust } from '../credentials/git-setup.js';
import { lookupCredential, type CredentialLookup } from '../credentials/match.js';
import { parseRepoSecret, type ParsedSecret } from '../credentials/repo-secret.js';
import { secretTypeLabels } from '../credentials/types.js';
import type { Discovery } from '../cluster/discovery.js';
import type { KubeHttp } from '../cluster/http.js';
import { Informer } from '../cluster/informer.js';
import { ParsedObjects } from '../cluster/parsed-objects.js';
import type { ResourceClient } from '../cluster/resources.js';

export interface RepoCredentialsWatchOptions {
  readonly http: KubeHttp;
  readonly discovery: Discovery;
  readonly resources: ResourceClient;
  readonly namespace: string;
  readonly logger: Logger;
  /** How long start() waits for the first lists (default 10 s). */
  readonly syncTimeoutMs?: number;
}

export class RepoCredentialsWatch {
  private readonly secretInformers: Informer[] = [];
  private knownHosts: Informer | undefined;
  private tlsCerts: Informer | undefined;
  private readonly parsed: ParsedObjects<ParsedSecret>;

  constructor(private readonly options: RepoCredentialsWatchOptions) {
    this.parsed = new ParsedObjects(parseRepoSecret, (secret, parsed) => {
      if (!parsed.ok) options.logger.warn({ secret: `${secret.metadata.namespace ?? ''}/${secret.metadata.name ?? ''}` }, `repository Secret ignored: ${parsed.reason}`);
    });
  }

  async start(): Promise<void> {
    const { discovery, http, resources, namespace, logger } = this.options;
    const secrets = await discovery.resolve('v1', 'Secret');
    const configMaps = await discovery.resolve('v1', 'ConfigMap');
    const onError = (what: string) => (err: unknown) => { logger.warn({ err, namespace }, `watch of ${what} failed; retrying`); };
    const informers: Informer[] = [];
    if (secrets !== undefined) {
      for (const label of secretTypeLabels) {
        const informer = new Informer(http, resources, secrets, { namespace, labelSelector: `${label} in (repository,repo-creds)`, onError: onError('repository Secrets') });
        this.secretInformers.push(informer);
        informers.push(informer);
      }
    }
    if (configMaps !== undefined) {
      this.knownHosts = new Informer(http, resources, configMaps, { namespace, fieldSelector: `metadata.name=${knownHostsConfigMap}`, onError: onError(knownHostsConfigMap) });
      this.tlsCerts = new Informer(http, resources, configMaps, { namespace, fieldSelector: `metadata.name=${tlsCertsConfigMap}`, onError: onError(tlsCertsConfigMap) });
      informers.push(this.knownHosts, this.tlsCerts);
    }
    for (const informer of informers) informer.start();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.options.syncTimeoutMs ?? 10_000);
    });
    try {
      await Promise.race([Promise.all(informers.map((i) => i.synced)), timeout]);
    } catch (err) {
      logger.warn({ err }, 'cannot read the repository Secrets; repositories are read without them until the watch recovers');
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    const informers = [...this.secretInformers, this.knownHosts, this.tlsCerts].filter((i): i is Informer => i !== undefined);
    await Promise.all(informers.map((i) => i.stop()));
  }

  /** The credential serving `url` now. */
  lookup(url: string): CredentialLookup {
    return lookupCredential(this.currentSecrets(), url);
  }

  /** Host keys and CA bundles now. */
  trust(): RepoTrust {
    const known = this.knownHosts?.list()[0];
    const certs = this.tlsCerts?.list()[0];
    return { knownHosts: dataOf(known).get('ssh_known_hosts') ?? '', tlsCerts: new Map([...dataOf(certs)].map(([host, pem]) => [host.toLowerCase(), pem])) };
  }

  private currentSecrets(): ParsedSecret[] {
    return this.parsed.current(this.secretInformers);
  }
}

function dataOf(configMap: KubeObject | undefined): Map<string, string> {
  const raw: unknown = configMap === undefined ? undefined : (configMap as unknown as Record<string, unknown>)['data'];
  const found = new Map<string, string>();
  if (isRecord(raw)) for (const [key, value] of Object.entries(raw)) if (typeof value === 'string') found.set(key, value);
  return found;
}
