import type { SyncStatusCode } from '../../api/application.js';
import type { HealthStatus } from '../../api/health.js';
import type { Colours } from './colour.js';

/** A health status in its colour, as the HEALTH column shows it; '' for none (a table prints `<none>`). */
export function colourHealth(status: HealthStatus | null | undefined, c: Colours): string {
  switch (status) {
    case 'Healthy':
      return c.green(status);
    case 'Progressing':
    case 'Suspended':
      return c.yellow(status);
    case 'Degraded':
    case 'Missing':
      return c.red(status);
    case 'Unknown':
      return c.dim(status);
    case null:
    case undefined:
      return '';
  }
}

/** A sync status in its colour, as the SYNC column shows it; '' for none. */
export function colourSync(status: SyncStatusCode | null | undefined, c: Colours): string {
  switch (status) {
    case 'Synced':
      return c.green(status);
    case 'OutOfSync':
      return c.yellow(status);
    case 'Unknown':
      return c.dim(status);
    case null:
    case undefined:
      return '';
  }
}
