import jsonpatch, { type Operation } from 'fast-json-patch';
import type { Application, ApplicationStatus } from '../../api/application.js';
import { formatAppKey, type AppKey } from '../../api/tracking.js';
import { KubeApiError } from '../../cluster/errors.js';
import type { AppStore, EventSink } from '../ports.js';
import type { EventReason } from '../../api/conditions.js';

/** Applications in memory: the "watch cache" and the "API server" are the same map. Writes are counted. */
export class FakeAppStore implements AppStore {
  private readonly apps = new Map<string, Application>();
  statusWrites = 0;
  patches = 0;
  private version = 1;

  put(app: Application): Application {
    const stored = structuredClone(app);
    stored.metadata.resourceVersion = String(++this.version);
    stored.metadata.generation ??= 1;
    this.apps.set(formatAppKey({ namespace: stored.metadata.namespace ?? '', name: stored.metadata.name ?? '' }), stored);
    return structuredClone(stored);
  }

  get(key: AppKey): Application | undefined {
    const app = this.apps.get(formatAppKey(key));
    return app === undefined ? undefined : structuredClone(app);
  }

  mustGet(key: AppKey): Application {
    const app = this.get(key);
    if (app === undefined) throw new Error(`no app ${formatAppKey(key)}`);
    return app;
  }

  fetch(key: AppKey): Promise<Application | undefined> {
    return Promise.resolve(this.get(key));
  }

  list(): Application[] {
    return [...this.apps.values()].map((a) => structuredClone(a));
  }

  /** Status bodies larger than this (JSON bytes) are refused with 413, as the API server does. */
  maxStatusBytes = Infinity;

  writeStatus(app: Application, status: ApplicationStatus): Promise<Application> {
    this.statusWrites++;
    const bytes = Buffer.byteLength(JSON.stringify(status), 'utf8');
    if (bytes > this.maxStatusBytes) return Promise.reject(new KubeApiError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${this.maxStatusBytes}`));
    const current = this.mustGet({ namespace: app.metadata.namespace ?? '', name: app.metadata.name ?? '' });
    return Promise.resolve(this.put({ ...current, status: structuredClone(status) }));
  }

  patch(app: Application, operations: readonly object[]): Promise<Application> {
    this.patches++;
    const current = this.mustGet({ namespace: app.metadata.namespace ?? '', name: app.metadata.name ?? '' });
    const next = jsonpatch.applyPatch(current, operations as Operation[], true, false).newDocument;
    return Promise.resolve(this.put(next));
  }
}

export interface RecordedEvent {
  readonly type: 'Normal' | 'Warning';
  readonly reason: EventReason;
  readonly message: string;
}

export class FakeEvents implements EventSink {
  readonly events: RecordedEvent[] = [];

  record(_app: Application, type: 'Normal' | 'Warning', reason: EventReason, message: string): void {
    this.events.push({ type, reason, message });
  }

  reasons(): string[] {
    return this.events.map((e) => e.reason);
  }
}
