import { createHash } from 'node:crypto';
import type { KubeObject } from '../api/object.js';
import { boundText } from '../api/text.js';
import { EventSpamFilter, type SpamFilterOptions } from './event-spam.js';
import { isConflict, isNotFound } from './errors.js';
import type { KubeHttp } from './http.js';

export type EventType = 'Normal' | 'Warning';

/** Kubernetes object names have at most 253 characters. */
const maxNameLength = 253;
/** What an Event's message is cut to. */
export const maxEventMessageChars = 1024;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * The name of an Event: `<object>.<digest>`, at most 253 characters. A name too long for that
 * keeps its beginning and a hash of the whole, so that objects with long names keep their Events.
 */
export function eventName(objectName: string, digest: string): string {
  const plain = `${objectName}.${digest}`;
  if (plain.length <= maxNameLength) return plain;
  const hash = sha256(objectName).slice(0, 8);
  // A label may not end in '-' or '.' before the hash is added.
  const prefix = objectName.slice(0, maxNameLength - digest.length - hash.length - 2).replace(/[-.]+$/, '');
  return `${prefix === '' ? '' : `${prefix}-`}${hash}.${digest}`;
}

/** What a repeat of an Event changes besides its count: when it was last seen, and an aggregated Event's message. */
interface Repeat {
  readonly now: string;
  readonly message?: string;
}

export interface EventRecorderOptions {
  /** The spam filter: per object and reason, a burst of 25, then one per 5 minutes. */
  readonly spam?: SpamFilterOptions;
  /** Events whose count this recorder remembers, so that a repeat costs one PATCH and no read; default 4096. */
  readonly maxRemembered?: number;
  /** An Event the spam filter held back (for a debug log or a metric). */
  readonly onDropped?: (reason: string) => void;
  /**
   * Reasons whose Events are one per object and type, whatever the message, as Kubernetes
   * aggregates similar Events: a repeat bumps the count and puts in the new message. For a state
   * that changes as it goes on (a backoff that grows), so that `kubectl get events` shows one
   * line with a count and the latest message.
   */
  readonly aggregateReasons?: Iterable<string>;
}

/**
 * Records Kubernetes Events (core/v1) about an object. The same reason and message on the same
 * object within an Event's lifetime (or, aggregated, the same reason with any message) bump its
 * count instead of creating a new Event; the count is remembered, so a bump is one PATCH. A
 * client-side spam filter, like client-go's, keeps a fight or a flood from writing an Event per
 * reconcile.
 */
export class EventRecorder {
  private readonly spam: EventSpamFilter;
  /** Event path → the count last written, least recently used first. */
  private readonly counts = new Map<string, number>();
  private readonly maxRemembered: number;
  private readonly aggregateReasons: ReadonlySet<string>;

  constructor(
    private readonly http: KubeHttp,
    private readonly component: string,
    private readonly onError?: (err: unknown) => void,
    private readonly options: EventRecorderOptions = {},
  ) {
    this.spam = new EventSpamFilter(options.spam);
    this.maxRemembered = Math.max(1, options.maxRemembered ?? 4096);
    this.aggregateReasons = new Set(options.aggregateReasons);
  }

  async record(regarding: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const namespace = regarding.metadata.namespace ?? 'default';
    const objName = regarding.metadata.name ?? '';
    const uid = regarding.metadata.uid ?? '';
    if (!this.spam.allow(`${regarding.apiVersion}|${regarding.kind}|${namespace}|${objName}|${uid}|${type}|${reason}`)) {
      this.options.onDropped?.(reason);
      return;
    }
    const text = boundText(message, maxEventMessageChars);
    const aggregate = this.aggregateReasons.has(reason);
    const name = eventName(objName, sha256(aggregate ? `${uid}|${type}|${reason}` : `${uid}|${type}|${reason}|${text}`).slice(0, 12));
    const collection = `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`;
    const path = `${collection}/${name}`;
    const now = new Date().toISOString();
    // Only an aggregated Event's message changes with a repeat.
    const repeat: Repeat = { now, ...(aggregate ? { message: text } : {}) };
    const known = this.counts.get(path);
    try {
      if (known !== undefined) {
        try {
          await this.patchCount(path, known + 1, repeat);
          return;
        } catch (err) {
          // A remembered Event that expired meanwhile is created again.
          this.counts.delete(path);
          if (!isNotFound(err)) throw err;
        }
      }
      await this.http.json({
        method: 'POST', path: collection,
        body: {
          apiVersion: 'v1', kind: 'Event',
          metadata: { name, namespace },
          involvedObject: {
            apiVersion: regarding.apiVersion, kind: regarding.kind, namespace, name: objName,
            uid: regarding.metadata.uid, resourceVersion: regarding.metadata.resourceVersion,
          },
          type, reason, message: text, count: 1,
          firstTimestamp: now, lastTimestamp: now,
          source: { component: this.component }, reportingComponent: this.component, reportingInstance: this.component,
        },
      });
      this.remember(path, 1);
    } catch (err) {
      if (!isConflict(err)) {
        this.onError?.(err);
        return;
      }
      // An Event this recorder does not remember (written before a restart): its count is read once.
      await this.bump(path, repeat).catch((e: unknown) => {
        if (!isNotFound(e)) this.onError?.(e);
      });
    }
  }

  private async bump(path: string, repeat: Repeat): Promise<void> {
    const current = await this.http.json<{ count?: number }>({ method: 'GET', path });
    await this.patchCount(path, (current.count ?? 1) + 1, repeat);
  }

  private async patchCount(path: string, count: number, repeat: Repeat): Promise<void> {
    // Remembered before the answer: a repeat recorded meanwhile counts on from this one.
    this.remember(path, count);
    const message = repeat.message === undefined ? {} : { message: repeat.message };
    await this.http.json({ method: 'PATCH', path, contentType: 'application/merge-patch+json', body: { count, lastTimestamp: repeat.now, ...message } });
  }

  private remember(path: string, count: number): void {
    this.counts.delete(path);
    this.counts.set(path, count);
    if (this.counts.size > this.maxRemembered) {
      const oldest = this.counts.keys().next();
      if (oldest.done !== true) this.counts.delete(oldest.value);
    }
  }
}
