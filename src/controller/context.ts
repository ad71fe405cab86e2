import type { Logger } from 'pino';
import type { Application, ApplicationSource, ApplicationStatus, SourceType } from '../api/application.js';
import type { KubeObject } from '../api/object.js';
import type { Result } from '../api/result.js';
import type { AppKey } from '../api/tracking.js';
import type { AppProject } from '../projects/index.js';
import type { AppRequests } from './annotations.js';
import type { ReconcileDeps } from './deps.js';
import type { DestinationPorts } from './ports.js';
import type { ComparedObject } from './steps/compare.js';
import type { LiveView } from './steps/live.js';
import type { PreparedObject } from './steps/prepare.js';

/**
 * What one reconcile knows so far. Each step of the pipeline reads what earlier steps found
 * and adds its own finding; the first step that fails ends the pipeline.
 */
/** A source of the app at a resolved revision: a commit, or a chart version with its archive's digest. */
export interface ResolvedSource {
  readonly source: ApplicationSource;
  readonly revision: string;
  readonly chartDigest?: string;
}

export interface ReconcileContext {
  readonly deps: ReconcileDeps;
  readonly key: AppKey;
  readonly app: Application;
  readonly requests: AppRequests;
  readonly log: Logger;
  readonly signal: AbortSignal;
  /** Ask the Git remote now rather than reuse the ref table the poller brought back. */
  readonly force: boolean;
  /** The app's destination cluster (the first step finds it). */
  target?: DestinationPorts;
  /** The app's AppProject, once its rules for the app as a whole are met. */
  project?: AppProject;
  /** The status as this reconcile last wrote it (a sync writes Running before it applies anything). */
  written?: ApplicationStatus | undefined;
  /** The commit the app's revision resolves to. */
  sha?: string;
  /** Each source at the revision resolved (sha is their revisions, comma-separated, when there are several). */
  sources?: readonly ResolvedSource[];
  rendered?: readonly KubeObject[];
  /** How the source was rendered (status.sourceType). */
  sourceType?: SourceType;
  /** With several sources: how each rendered source was (status.sourceTypes). */
  sourceTypes?: SourceType[];
  /** The desired objects that are not hooks. */
  prepared?: readonly PreparedObject[];
  /** The hooks (sync/hooks.ts), placed like every object, run by a sync. */
  hooks?: readonly PreparedObject[];
  view?: LiveView;
  compared?: readonly ComparedObject[];
  /** spec.promotion holds the revision back: why and until when, and when to look again. */
  promotion?: { readonly message?: string; readonly retryInMs: number };
}

/** One named step of the reconcile pipeline. */
export interface Step {
  readonly name: string;
  readonly run: (ctx: ReconcileContext) => Promise<Result<void>>;
}

/** A finding an earlier step must have made; its absence is a bug in the pipeline's order. */
export function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`reconcile pipeline: ${what} is not known yet`);
  return value;
}

/** The app's destination cluster, found by the pipeline's first step. */
export function targetOf(ctx: ReconcileContext): DestinationPorts {
  return required(ctx.target, 'the destination cluster');
}
