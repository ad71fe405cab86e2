import { formatAppKey, type AppKey } from '../api/tracking.js';
import type { Application } from '../api/application.js';

/**
 * The resourceVersion of each app as this controller last wrote it. A cached copy at that
 * version is current; any other copy may lag behind our own write, so it is read again.
 */
export class AppVersions {
  private readonly written = new Map<string, string>();

  remember(app: Application): void {
    const rv = app.metadata.resourceVersion;
    if (rv !== undefined) this.written.set(formatAppKey({ namespace: app.metadata.namespace ?? '', name: app.metadata.name ?? '' }), rv);
  }

  isCurrent(app: Application): boolean {
    const rv = app.metadata.resourceVersion;
    return rv !== undefined && rv === this.written.get(formatAppKey({ namespace: app.metadata.namespace ?? '', name: app.metadata.name ?? '' }));
  }

  forget(key: AppKey): void {
    this.written.delete(formatAppKey(key));
  }
}

/** Why an app was refreshed from outside (a webhook push), kept until its next reconcile takes it. */
export class RefreshReasons {
  private readonly reasons = new Map<string, string>();

  note(key: AppKey, reason: string): void {
    this.reasons.set(formatAppKey(key), reason);
  }

  take(key: AppKey): string | undefined {
    const id = formatAppKey(key);
    const reason = this.reasons.get(id);
    this.reasons.delete(id);
    return reason;
  }
}
