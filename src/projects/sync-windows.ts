import { windowApplies, type WindowedApp } from './window-match.js';
import { defaultTimeZone, windowSchedule, type WindowSchedule } from './schedule.js';
import type { AppProject, SyncWindow } from './types.js';

export type { WindowedApp } from './window-match.js';

export interface SyncWindowState {
  /** Automated sync (auto-sync, self-heal) may start now. */
  readonly automatedAllowed: boolean;
  /** A sync asked for by hand (annotation, CLI, `operation`) may start now. */
  readonly manualAllowed: boolean;
  /** The app's windows that are open now. */
  readonly activeWindows: readonly SyncWindow[];
  /** Why a sync is held back (absent when both kinds are allowed); it ends with "until …" when nextChange is known. */
  readonly message?: string;
  /**
   * The first instant after `now` at which automatedAllowed changes (within a year, checking at most
   * `maxSteps` window boundaries); absent when no change is found.
   */
  readonly nextChange?: Date;
}

/** How many window starts and ends nextChange looks through. */
export const maxSteps = 500;
const horizonMs = 366 * 24 * 3_600_000;

interface Verdict {
  readonly automated: boolean;
  readonly manual: boolean;
  readonly active: readonly WindowSchedule[];
  readonly why?: string;
}

/** The start of the occurrence of `schedule` open at `time` (s <= time < s + duration), if one is. */
function openOccurrence(schedule: WindowSchedule, time: Date): Date | undefined {
  const start = schedule.nextStartAfter(new Date(time.getTime() - schedule.durationMs));
  return start !== undefined && start.getTime() <= time.getTime() ? start : undefined;
}

/** Whether the window is open at `time` (whatever app it applies to); undefined when it cannot be read. */
export function windowOpen(window: SyncWindow, time: Date): boolean | undefined {
  const schedule = windowSchedule(window);
  return typeof schedule === 'string' ? undefined : openOccurrence(schedule, time) !== undefined;
}

export const describeWindow = (window: SyncWindow): string =>
  `${window.kind} ${JSON.stringify(window.schedule)} for ${window.duration} (${window.timeZone === undefined || window.timeZone === '' ? defaultTimeZone : window.timeZone})`;

const windowList = (schedules: readonly WindowSchedule[]): string => schedules.map((s) => describeWindow(s.window)).join(', ');

/** Argo CD's rule: an open deny holds everything back (manual syncs only if every open deny allows them);
 * else an open allow lets everything through; else allow windows that exist but are closed hold back
 * automated syncs (manual ones only if every such window allows them); no window lets everything through. */
function verdictAt(schedules: readonly WindowSchedule[], time: Date): Verdict {
  const active = schedules.filter((s) => openOccurrence(s, time) !== undefined);
  const denies = active.filter((s) => s.window.kind === 'deny');
  if (denies.length > 0) {
    const manual = denies.every((s) => s.window.manualSync === true);
    return { automated: false, manual, active, why: `sync window ${windowList(denies)} is open` };
  }
  if (active.some((s) => s.window.kind === 'allow')) return { automated: true, manual: true, active };
  const closedAllows = schedules.filter((s) => s.window.kind === 'allow');
  if (closedAllows.length > 0) {
    const manual = closedAllows.every((s) => s.window.manualSync === true);
    return { automated: false, manual, active, why: `no allow sync window is open (${windowList(closedAllows)})` };
  }
  return { automated: true, manual: true, active };
}

/** The next instant after `time` at which some window opens or an open occurrence closes. */
function nextBoundary(schedules: readonly WindowSchedule[], time: Date): Date | undefined {
  let next: number | undefined;
  for (const schedule of schedules) {
    const start = schedule.nextStartAfter(time)?.getTime();
    const open = openOccurrence(schedule, time);
    const end = open === undefined ? undefined : open.getTime() + schedule.durationMs;
    for (const candidate of [start, end]) if (candidate !== undefined && (next === undefined || candidate < next)) next = candidate;
  }
  return next === undefined ? undefined : new Date(next);
}

function nextChange(schedules: readonly WindowSchedule[], now: Date, automated: boolean): Date | undefined {
  let time = now;
  for (let step = 0; step < maxSteps; step++) {
    const boundary = nextBoundary(schedules, time);
    if (boundary === undefined || boundary.getTime() - now.getTime() > horizonMs) return undefined;
    if (verdictAt(schedules, boundary).automated !== automated) return boundary;
    time = boundary;
  }
  return undefined;
}

/**
 * What the project's sync windows let the app do at `now`. Only the windows whose selectors match
 * the app count. A window that cannot be read (bad schedule, duration or time zone) holds back
 * every sync of the apps it matches, and the message says why: validateProject reports it too.
 */
export function syncWindowState(project: AppProject, app: WindowedApp, now: Date): SyncWindowState {
  const windows = (project.spec.syncWindows ?? []).filter((window) => windowApplies(window, app));
  const schedules: WindowSchedule[] = [];
  for (const window of windows) {
    const schedule = windowSchedule(window);
    if (typeof schedule === 'string') {
      return { automatedAllowed: false, manualAllowed: false, activeWindows: [], message: `sync window ${describeWindow(window)} cannot be used: ${schedule}` };
    }
    schedules.push(schedule);
  }
  if (schedules.length === 0) return { automatedAllowed: true, manualAllowed: true, activeWindows: [] };
  const verdict = verdictAt(schedules, now);
  const change = nextChange(schedules, now, verdict.automated);
  const until = change === undefined ? '' : ` until ${change.toISOString()}`;
  return {
    automatedAllowed: verdict.automated,
    manualAllowed: verdict.manual,
    activeWindows: verdict.active.map((s) => s.window),
    ...(verdict.why === undefined ? {} : { message: `${verdict.why}${until}${verdict.manual ? '; manual syncs are allowed' : '; manual syncs are held back too'}` }),
    ...(change === undefined ? {} : { nextChange: change }),
  };
}
