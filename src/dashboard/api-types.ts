// The dashboard's HTTP API: what the server sends and the browser reads. Types only, so the
// front end (src/dashboard/ui) imports them without pulling in server code.
import type { Application } from '../api/application.js';

/** One row of the Applications view. */
export interface AppSummary {
  readonly namespace: string;
  readonly name: string;
  readonly project: string;
  /** Synced, OutOfSync or Unknown. */
  readonly sync: string;
  /** Healthy, Progressing, Degraded, Suspended, Missing or Unknown. */
  readonly health: string;
  /** The commit (or chart version) the app was last compared at. */
  readonly revision?: string;
  /** When the last sync operation finished (ISO 8601). */
  readonly lastSyncedAt?: string;
  /** The destination cluster: its name, else its server URL. */
  readonly cluster: string;
  readonly destinationNamespace?: string;
  readonly repoURL: string;
  readonly path?: string;
  readonly targetRevision?: string;
  /** The phase of the running or last operation. */
  readonly operationPhase?: string;
}

/** What `GET /api/apps/stream` sends (one JSON object per server-sent event, event name `message`). */
export type AppListEvent =
  | { readonly type: 'snapshot'; readonly apps: readonly AppSummary[] }
  | { readonly type: 'upsert'; readonly app: AppSummary }
  | { readonly type: 'delete'; readonly namespace: string; readonly name: string }
  | { readonly type: 'error'; readonly message: string };

/**
 * What `GET /api/apps/:namespace/:name/stream` sends: the Application each time it changes, and
 * `tree` when a live object the resource tree may show changed (a new Pod), at most once a second.
 */
export type AppEvent =
  | { readonly type: 'app'; readonly app: Application }
  | { readonly type: 'tree' }
  | { readonly type: 'delete' }
  | { readonly type: 'error'; readonly message: string };

/** An object of the resource tree. */
export interface TreeNode {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly uid?: string;
  /** True for an object from Git (status.resources); false for one found through ownerReferences. */
  readonly managed: boolean;
  /** Of a managed object: Synced or OutOfSync. */
  readonly sync?: string;
  readonly health?: string;
  readonly healthMessage?: string;
  /** Whether the live object exists (a managed object not yet created has no uid). */
  readonly live: boolean;
  readonly children: readonly TreeNode[];
}

/** `GET /api/apps/:namespace/:name`. */
export interface AppDetail {
  /** Credentials in repository URLs removed. */
  readonly app: Application;
  /** Roots are the managed objects; children are the live objects they own, recursively. */
  readonly tree: readonly TreeNode[];
  /** Why owned objects are missing from the tree (e.g. the app deploys to another cluster), if they are. */
  readonly treeNote?: string;
}

/** One object that differs between the cluster and Git. */
export interface ObjectDiff {
  readonly group: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** modified: both exist and differ; added: only in Git; removed: only in the cluster (would be pruned). */
  readonly change: 'modified' | 'added' | 'removed';
  /** Unified diff, cluster (-) against Git (+), as `capstan app diff` prints it. */
  readonly diff: string;
}

/** `GET /api/apps/:namespace/:name/diff`. */
export interface AppDiff {
  readonly objects: readonly ObjectDiff[];
  /** Objects another Application owns, left alone: "Kind/name: owned by Application ns/name". */
  readonly shared: readonly string[];
}

export interface EventSummary {
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  readonly count: number;
  readonly lastSeen?: string;
}

/**
 * `GET /api/apps/:namespace/:name/resource?group=&version=&kind=&namespace=&name=`: one object
 * of the tree. Secret values are replaced by "++++++++".
 */
export interface ResourceDetail {
  /** The live object, or null when it does not exist. */
  readonly manifest: Record<string, unknown> | null;
  /** Unified diff against Git (empty when in sync); absent for an object that is not from Git. */
  readonly diff?: string;
  readonly events: readonly EventSummary[];
}

/** Body of `POST /api/apps/:namespace/:name/sync`. */
export interface SyncBody {
  readonly prune?: boolean;
  readonly dryRun?: boolean;
}

/** Body of `POST /api/apps/:namespace/:name/refresh`. */
export interface RefreshBody {
  readonly hard?: boolean;
}

/** Body of `POST /api/apps/:namespace/:name/rollback`. */
export interface RollbackBody {
  readonly id: number;
}

/** Answer of every POST that acts on an app. */
export interface ActionResult {
  readonly message: string;
}

/** Every error answer: the HTTP status says the kind (403: forbidden by Kubernetes RBAC). */
export interface ApiError {
  readonly error: string;
}

/** `GET /api/session`. */
export interface SessionInfo {
  /** local: the server acts with its own kubeconfig; token: with the signed-in user's bearer token. */
  readonly mode: 'local' | 'token';
  readonly user: string;
}

/** Body of `POST /api/login` (token mode). */
export interface LoginBody {
  readonly token: string;
}

/** The header every POST must carry (a page of another site cannot send it without CORS). */
export const requestHeader = 'X-Capstan-Dashboard';
