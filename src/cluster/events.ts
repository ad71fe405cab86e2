import { createHash } from 'node:crypto';
import type { KubeObject } from '../api/object.js';
import { isConflict, isNotFound } from './errors.js';
import type { KubeHttp } from './http.js';

export type EventType = 'Normal' | 'Warning';

/**
 * Records Kubernetes Events (core/v1) about an object. The same reason and message on the same
 * object within an Event's lifetime bump its count instead of creating a new Event.
 */
export class EventRecorder {
  constructor(
    private readonly http: KubeHttp,
    private readonly component: string,
    private readonly onError?: (err: unknown) => void,
  ) {}

  async record(regarding: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const namespace = regarding.metadata.namespace ?? 'default';
    const objName = regarding.metadata.name ?? '';
    const digest = createHash('sha256').update(`${regarding.metadata.uid ?? ''}|${type}|${reason}|${message}`).digest('hex').slice(0, 12);
    const name = `${objName}.${digest}`;
    const now = new Date().toISOString();
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`;
    try {
      await this.http.json({
        method: 'POST', path,
        body: {
          apiVersion: 'v1', kind: 'Event',
          metadata: { name, namespace },
          involvedObject: {
            apiVersion: regarding.apiVersion, kind: regarding.kind, namespace, name: objName,
            uid: regarding.metadata.uid, resourceVersion: regarding.metadata.resourceVersion,
          },
          type, reason, message: message.slice(0, 1024), count: 1,
          firstTimestamp: now, lastTimestamp: now,
          source: { component: this.component }, reportingComponent: this.component, reportingInstance: this.component,
        },
      });
    } catch (err) {
      if (!isConflict(err)) {
        this.onError?.(err);
        return;
      }
      await this.bump(`${path}/${name}`, now).catch((e: unknown) => {
        if (!isNotFound(e)) this.onError?.(e);
      });
    }
  }

  private async bump(path: string, now: string): Promise<void> {
    const current = await this.http.json<{ count?: number }>({ method: 'GET', path });
    await this.http.json({
      method: 'PATCH', path, contentType: 'application/merge-patch+json',
      body: { count: (current.count ?? 1) + 1, lastTimestamp: now },
    });
  }
}
