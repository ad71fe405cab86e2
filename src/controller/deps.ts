import type { Logger } from 'pino';
import type { ApplicationStore } from '../cluster/applications.js';
import type { EventRecorder } from '../cluster/events.js';
import type { LiveCache } from '../cluster/live-cache.js';
import type { ResourceClient } from '../cluster/resources.js';
import type { RepoCachePort } from '../git/types.js';
import type { RenderCache } from '../render/cache.js';
import type { DiffCache } from './diff-cache.js';
import type { ControllerMetrics } from './metrics.js';

/** Everything one reconcile uses; built once by the controller. */
export interface ReconcileDeps {
  readonly apps: ApplicationStore;
  readonly resources: ResourceClient;
  readonly live: LiveCache;
  readonly repos: RepoCachePort;
  readonly renderCache: RenderCache;
  readonly diffCache: DiffCache;
  readonly events: EventRecorder;
  readonly logger: Logger;
  readonly metrics: ControllerMetrics;
  /** resourceVersion of each app as this controller last wrote it: a cached copy at that version is current. */
  readonly lastWritten: Map<string, string>;
  /** Why an app was refreshed from outside (a webhook), until its next reconcile records it. */
  readonly refreshReasons: Map<string, string>;
  readonly settings: ControllerSettings;
}

export interface ControllerSettings {
  /** Git poll interval when an Application sets none. */
  readonly defaultIntervalMs: number;
  /** How long a sync waits for one wave to become healthy. */
  readonly waveTimeoutMs: number;
  /** Bound on status.resources entries (the rest is summarised). */
  readonly maxStatusResources: number;
}

/** A step failure that the Application reports as a condition; nothing is applied or pruned. */
export interface StepFailure {
  readonly reason: string;
  readonly message: string;
}

export type StepResult<T> = { ok: true; value: T } | { ok: false; failure: StepFailure };

export const fail = (reason: string, message: string): { ok: false; failure: StepFailure } => ({ ok: false, failure: { reason, message } });
