import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Verb } from '../cluster/http.js';
import type { GitRequestKind } from '../git/types.js';
import type { NotificationMetrics } from '../notifications/notifier.js';
import type { WorkQueueMetrics } from './queue.js';

const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** The controller's Prometheus series (DESIGN.md §5), on one registry served at /metrics. */
export class ControllerMetrics {
  readonly registry: Registry;
  private readonly reconcileDuration: Histogram<'outcome'>;
  private readonly syncs: Counter<'result'>;
  private readonly appInfo: Gauge<'namespace' | 'name' | 'sync_status' | 'health_status'>;
  private readonly gitRequests: Counter<'kind' | 'result'>;
  private readonly gitDuration: Histogram<'kind'>;
  private readonly queueDepth: Gauge;
  private readonly queueLatency: Histogram;
  private readonly apiRequests: Counter<'verb' | 'code'>;
  private readonly clustersConnected: Gauge<'cluster'>;
  private readonly renders: Counter<'source_type' | 'result'>;
  private readonly rendersReused: Counter;
  private readonly notificationDeliveries: Counter<'trigger' | 'service' | 'result'>;
  private readonly notificationRetries: Counter<'service'>;
  private readonly appLabels = new Map<string, { sync_status: string; health_status: string }>();

  constructor(registry = new Registry()) {
    this.registry = registry;
    const registers = [registry];
    this.reconcileDuration = new Histogram({ name: 'capstan_reconcile_duration_seconds', help: 'Time one reconcile of an Application takes.', labelNames: ['outcome'], buckets: durationBuckets, registers });
    this.syncs = new Counter({ name: 'capstan_syncs_total', help: 'Sync operations by result.', labelNames: ['result'], registers });
    this.appInfo = new Gauge({ name: 'capstan_app_info', help: 'One series per Application with its sync and health status.', labelNames: ['namespace', 'name', 'sync_status', 'health_status'], registers });
    this.gitRequests = new Counter({ name: 'capstan_git_requests_total', help: 'Git operations by kind (ls-remote, fetch, clone, checkout) and result.', labelNames: ['kind', 'result'], registers });
    this.gitDuration = new Histogram({ name: 'capstan_git_request_duration_seconds', help: 'Duration of Git operations.', labelNames: ['kind'], buckets: durationBuckets, registers });
    this.queueDepth = new Gauge({ name: 'capstan_workqueue_depth', help: 'Application keys waiting to be reconciled.', registers });
    this.queueLatency = new Histogram({ name: 'capstan_workqueue_latency_seconds', help: 'Time a key waits in the work queue before its reconcile starts.', buckets: durationBuckets, registers });
    this.renders = new Counter({ name: 'capstan_renders_total', help: 'Sources rendered (render cache misses) by source type and result.', labelNames: ['source_type', 'result'], registers });
    this.rendersReused = new Counter({ name: 'capstan_renders_reused_total', help: "Renders of a new commit skipped because it changed none of the app's manifest-generate-paths.", registers });
    this.apiRequests = new Counter({ name: 'capstan_kube_api_requests_total', help: 'Requests to the Kubernetes API server by verb and HTTP status code.', labelNames: ['verb', 'code'], registers });
    this.notificationDeliveries = new Counter({ name: 'capstan_notification_deliveries_total', help: 'Notifications by trigger, service and result (delivered, failed: given up or refused, dropped: the delivery queue was full).', labelNames: ['trigger', 'service', 'result'], registers });
    this.notificationRetries = new Counter({ name: 'capstan_notification_retries_total', help: 'Failed tries of a notification that were tried again, by service.', labelNames: ['service'], registers });
    this.clustersConnected = new Gauge({ name: 'capstan_cluster_connected', help: 'One series per destination cluster (besides its own) the controller holds connections and a watch cache for.', labelNames: ['cluster'], registers });
  }

  /** A cluster's client set was made (open) or closed. */
  clusterConnection(cluster: string, open: boolean): void {
    if (open) this.clustersConnected.set({ cluster }, 1);
    else this.clustersConnected.remove({ cluster });
  }

  readonly notifications: NotificationMetrics = {
    delivery: (trigger, service, result) => {
      this.notificationDeliveries.inc({ trigger, service, result });
    },
    retry: (service) => {
      this.notificationRetries.inc({ service });
    },
  };

  readonly queue: WorkQueueMetrics = {
    depth: (n) => {
      this.queueDepth.set(n);
    },
    latencyMs: (_key, ms) => {
      this.queueLatency.observe(ms / 1000);
    },
    durationMs: (_key, ms, outcome) => {
      this.reconcileDuration.observe({ outcome }, ms / 1000);
    },
  };

  readonly apiRequest = (verb: Verb, status: number, _durationMs: number): void => {
    this.apiRequests.inc({ verb, code: String(status) });
  };

  readonly gitRequest = (kind: GitRequestKind, _repoURL: string, durationMs: number, ok: boolean): void => {
    this.gitRequests.inc({ kind, result: ok ? 'success' : 'error' });
    this.gitDuration.observe({ kind }, durationMs / 1000);
  };

  rendered(sourceType: string, ok: boolean): void {
    this.renders.inc({ source_type: sourceType, result: ok ? 'success' : 'error' });
  }

  renderReused(): void {
    this.rendersReused.inc();
  }

  syncFinished(result: 'succeeded' | 'failed' | 'interrupted'): void {
    this.syncs.inc({ result });
  }

  /** Keeps exactly one capstan_app_info series per app. */
  appStatus(namespace: string, name: string, syncStatus: string, healthStatus: string): void {
    const key = `${namespace}/${name}`;
    const previous = this.appLabels.get(key);
    if (previous !== undefined && (previous.sync_status !== syncStatus || previous.health_status !== healthStatus)) {
      this.appInfo.remove({ namespace, name, ...previous });
    }
    const labels = { sync_status: syncStatus, health_status: healthStatus };
    this.appLabels.set(key, labels);
    this.appInfo.set({ namespace, name, ...labels }, 1);
  }

  appDeleted(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    const previous = this.appLabels.get(key);
    if (previous !== undefined) this.appInfo.remove({ namespace, name, ...previous });
    this.appLabels.delete(key);
  }
}
