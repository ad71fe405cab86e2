import { stringify } from 'safe-stable-stringify';
import type { Application, ApplicationStatus } from '../../api/application.js';
import { appAnnotations, argoRefreshAnnotation } from '../../api/annotations.js';
import { removeHandledAnnotations } from '../annotations.js';
import { boundText } from '../../api/text.js';
import type { ReconcileDeps } from '../deps.js';
import { fitStatus, isTooLarge, jsonBytes, minimalStatus } from './limits.js';

/** The status without `reconciledAt`, as text with sorted keys: two statuses that read the same are equal. */
function comparable(status: ApplicationStatus | undefined): string {
  if (status === undefined) return '';
  const { reconciledAt: _reconciledAt, ...rest } = status;
  return stringify(rest);
}

export function statusChanged(before: ApplicationStatus | undefined, after: ApplicationStatus): boolean {
  return comparable(before) !== comparable(after);
}

export interface WriteOptions {
  readonly now: string;
  /** The status on the API server now (default: the app's, as the reconcile read it). */
  readonly previous?: ApplicationStatus | undefined;
  /** Remove the refresh and sync annotations this reconcile handled (default true). */
  readonly removeHandled?: boolean;
  /** Annotations not handled by this reconcile, though present (a sync requested while another runs). */
  readonly keepAnnotations?: readonly string[];
}

/**
 * Writes the status only when it changed (then with `reconciledAt` now): a reconcile that finds
 * nothing new writes nothing. Then removes the refresh and sync annotations it handled.
 * Returns the app as it now is on the API server (or as it was, when nothing was written).
 */
export async function writeStatusIfChanged(deps: ReconcileDeps, app: Application, status: ApplicationStatus, options: WriteOptions): Promise<Application> {
  let current = app;
  const previous = 'previous' in options ? options.previous : app.status;
  const fitted = fitStatus(status);
  if (statusChanged(previous, fitted)) {
    current = await writeFitted(deps, app, fitted, previous, options.now);
  }
  if (options.removeHandled === false) return current;
  // A sync token already handled (the same token annotated again) is removed without a sync.
  const kept = (a: string): boolean => options.keepAnnotations?.includes(a === argoRefreshAnnotation ? appAnnotations.refresh : a) === true;
  const handled = [appAnnotations.refresh, argoRefreshAnnotation, appAnnotations.sync, appAnnotations.terminateOperation, appAnnotations.approve].filter((a) => !kept(a));
  const ops = removeHandledAnnotations(app, handled);
  if (ops.length > 0) {
    try {
      current = await deps.apps.patch(app, ops);
      deps.appVersions.remember(current);
    } catch (err) {
      deps.logger.debug({ err }, 'annotation changed while it was handled; it will be handled again');
    }
  }
  return current;
}

/**
 * Writes a status that fits the budget. Should the API server still refuse it by its size (the
 * object around it is large), a minimal status is written instead, so that the app never keeps
 * showing an older result; retrying the same body would fail forever.
 */
async function writeFitted(deps: ReconcileDeps, app: Application, status: ApplicationStatus, previous: ApplicationStatus | undefined, now: string): Promise<Application> {
  try {
    const written = await deps.apps.writeStatus(app, { ...status, reconciledAt: now });
    deps.appVersions.remember(written);
    return written;
  } catch (err) {
    if (!isTooLarge(err)) throw err;
    const bytes = jsonBytes(status);
    const refusal = err instanceof Error ? err.message : String(err);
    deps.logger.warn({ bytes, refusal: boundText(refusal, 512) }, 'the API server refused the status by its size; writing a shortened one');
    const small = minimalStatus(status, { message: refusal, bytes, now, previous });
    if (!statusChanged(previous, small)) return app;
    const written = await deps.apps.writeStatus(app, { ...small, reconciledAt: now });
    deps.appVersions.remember(written);
    return written;
  }
}
