import { ClusterCapabilities } from './capabilities.js';
import { isRecord, type KubeObject } from '../api/object.js';
import { resourcePath, type Discovery, type ResourceInfo } from './discovery.js';
import { isNotFound, KubeApiError } from './errors.js';
import type { KubeHttp } from './http.js';

export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';

export interface ObjectList {
  readonly items: KubeObject[];
  readonly resourceVersion: string;
}

/** Thrown when the API server does not serve an object's apiVersion/kind. */
export class UnknownKindError extends Error {
  readonly code = 'UNKNOWN_KIND';
  constructor(readonly apiVersion: string, readonly kind: string) {
    super(`the cluster does not serve kind ${kind} in ${apiVersion}`);
    this.name = 'UnknownKindError';
  }
}

function asObject(value: unknown, what: string): KubeObject {
  if (isRecord(value) && typeof value['kind'] === 'string' && isRecord(value['metadata'])) return value as KubeObject;
  throw new KubeApiError(500, 'InvalidResponse', `${what}: the API server answered with something that is not an object`);
}

/** Reads and writes arbitrary objects as raw JSON, by apiVersion and kind. */
/**
 * How the API server treats unknown or duplicate fields: Strict refuses the request (kubectl's
 * default, so Argo CD's), Ignore drops them silently (Validate=false).
 */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export class ResourceClient {
  readonly capabilities: ClusterCapabilities;

  constructor(
    private readonly http: KubeHttp,
    readonly discovery: Discovery,
  ) {
    this.capabilities = new ClusterCapabilities(http);
  }

  async info(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const info = await this.discovery.resolve(apiVersion, kind);
    if (info === undefined) throw new UnknownKindError(apiVersion, kind);
    return info;
  }

  async get(apiVersion: string, kind: string, namespace: string, name: string): Promise<KubeObject | undefined> {
    const info = await this.info(apiVersion, kind);
    try {
      return asObject(await this.http.json({ method: 'GET', path: resourcePath(info, namespace, name) }), `get ${kind} ${name}`);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Lists every page; `signal` aborts the list between or during pages. */
  async list(info: ResourceInfo, options: { namespace?: string; labelSelector?: string; fieldSelector?: string; signal?: AbortSignal } = {}): Promise<ObjectList> {
    const items: KubeObject[] = [];
    let resourceVersion = '';
    let continueToken: string | undefined;
    do {
      const page = await this.http.json({
        method: 'GET', verb: 'list', path: resourcePath(info, options.namespace),
        query: { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector, limit: 500, continue: continueToken },
        ...(options.signal !== undefined ? { signal: options.signal } : {}),
      });
      if (!isRecord(page)) break;
      const pageItems = Array.isArray(page['items']) ? page['items'] : [];
      const apiVersion = info.group === '' ? info.version : `${info.group}/${info.version}`;
      for (const item of pageItems) {
        // List items carry no apiVersion/kind; add them so every cached object is self-describing.
        if (isRecord(item)) items.push({ ...asObject({ ...item, apiVersion, kind: info.kind }, 'list item') });
      }
      const meta = isRecord(page['metadata']) ? page['metadata'] : {};
      resourceVersion = typeof meta['resourceVersion'] === 'string' ? meta['resourceVersion'] : resourceVersion;
      continueToken = typeof meta['continue'] === 'string' && meta['continue'] !== '' ? meta['continue'] : undefined;
    } while (continueToken !== undefined);
    return { items, resourceVersion };
  }

  /** Server-side apply of the whole object as `fieldManager`; `dryRun` asks what it would produce. */
  async apply(obj: KubeObject, options: { fieldManager: string; force?: boolean; dryRun?: boolean; fieldValidation?: FieldValidation }): Promise<KubeObject> {
    const info = await this.info(obj.apiVersion, obj.kind);
    const name = obj.metadata.name ?? '';
    const result = await this.http.json({
      method: 'PATCH', path: resourcePath(info, obj.metadata.namespace, name), body: obj,
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager: options.fieldManager, force: options.force ?? true, dryRun: options.dryRun === true ? 'All' : undefined, fieldValidation: options.fieldValidation },
    });
    return asObject(result, `apply ${obj.kind} ${name}`);
  }

  async create(obj: KubeObject, options: { fieldManager?: string; fieldValidation?: FieldValidation } = {}): Promise<KubeObject> {
    const info = await this.info(obj.apiVersion, obj.kind);
    const result = await this.http.json({
      method: 'POST', path: resourcePath(info, obj.metadata.namespace), body: obj, query: { fieldManager: options.fieldManager, fieldValidation: options.fieldValidation },
    });
    return asObject(result, `create ${obj.kind}`);
  }

  /** Replaces an object (PUT); the object's resourceVersion makes it conditional (409 when it changed). */
  async replace(obj: KubeObject, options: { fieldManager?: string; fieldValidation?: FieldValidation } = {}): Promise<KubeObject> {
    const info = await this.info(obj.apiVersion, obj.kind);
    const name = obj.metadata.name ?? '';
    const result = await this.http.json({
      method: 'PUT', path: resourcePath(info, obj.metadata.namespace, name), body: obj, query: { fieldManager: options.fieldManager, fieldValidation: options.fieldValidation },
    });
    return asObject(result, `replace ${obj.kind} ${name}`);
  }

  /** A merge or JSON patch (not apply) of one object, optionally of a subresource such as `status`. */
  async patch(
    info: ResourceInfo, namespace: string, name: string, patch: unknown,
    options: { type: 'merge' | 'json' | 'apply'; subresource?: string; fieldManager?: string; force?: boolean },
  ): Promise<KubeObject> {
    const contentType = { merge: 'application/merge-patch+json', json: 'application/json-patch+json', apply: 'application/apply-patch+yaml' }[options.type];
    const sub = options.subresource === undefined ? '' : `/${options.subresource}`;
    const result = await this.http.json({
      method: 'PATCH', path: `${resourcePath(info, namespace, name)}${sub}`, body: patch, contentType,
      query: { fieldManager: options.fieldManager, force: options.type === 'apply' ? (options.force ?? true) : undefined },
    });
    return asObject(result, `patch ${info.kind} ${name}`);
  }

  /** Deletes one object; 'gone' when it did not exist. */
  async delete(
    apiVersion: string, kind: string, namespace: string, name: string,
    options: { propagationPolicy?: PropagationPolicy; preconditionUid?: string } = {},
  ): Promise<'deleted' | 'gone'> {
    const info = await this.info(apiVersion, kind);
    try {
      await this.http.json({
        method: 'DELETE', path: resourcePath(info, namespace, name),
        body: {
          apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: options.propagationPolicy ?? 'Background',
          ...(options.preconditionUid !== undefined ? { preconditions: { uid: options.preconditionUid } } : {}),
        },
      });
      return 'deleted';
    } catch (err) {
      if (isNotFound(err)) return 'gone';
      throw err;
    }
  }
}
