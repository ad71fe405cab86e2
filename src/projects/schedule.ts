import { CronExpressionParser, type CronExpression } from 'cron-parser';
import { parseDuration } from '../api/duration.js';
import type { SyncWindow } from './types.js';

/** A sync window's schedule made ready to compute with: its cron expression in its time zone, and its length. */
export interface WindowSchedule {
  readonly window: SyncWindow;
  readonly durationMs: number;
  /** The first start strictly after `time`; undefined when the schedule never comes again. */
  nextStartAfter(time: Date): Date | undefined;
}

export const defaultTimeZone = 'UTC';

/** Why a time zone name is not one the runtime knows (IANA names such as Europe/Berlin), or undefined. */
export function timeZoneProblem(timeZone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return undefined;
  } catch {
    return `time zone ${JSON.stringify(timeZone)} is unknown (use an IANA name such as Europe/Berlin or UTC)`;
  }
}

/** Why a schedule is not a five-field cron expression (minute hour day-of-month month day-of-week), or undefined. */
export function cronProblem(schedule: string): string | undefined {
  const fields = schedule.trim().split(/\s+/);
  if (schedule.trim() === '' || fields.length !== 5) {
    return `schedule ${JSON.stringify(schedule)} is not a cron expression of five fields (minute hour day-of-month month day-of-week)`;
  }
  try {
    // A schedule that can never come (30 February) fails when its next start is sought.
    CronExpressionParser.parse(schedule, { tz: defaultTimeZone }).next();
    return undefined;
  } catch (err) {
    return `schedule ${JSON.stringify(schedule)} is not a valid cron expression: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** Why a duration is not a positive Go duration (1h, 30m, 1h30m), or undefined. */
export function durationProblem(duration: string): string | undefined {
  const ms = parseDuration(duration);
  if (ms === undefined) return `duration ${JSON.stringify(duration)} is not a duration such as 1h, 30m or 1h30m`;
  if (ms <= 0) return `duration ${JSON.stringify(duration)} must be longer than zero`;
  return undefined;
}

/** The window's schedule, or the problem that keeps it from being one. */
export function windowSchedule(window: SyncWindow): WindowSchedule | string {
  const timeZone = window.timeZone === undefined || window.timeZone === '' ? defaultTimeZone : window.timeZone;
  const problem = cronProblem(window.schedule) ?? durationProblem(window.duration) ?? timeZoneProblem(timeZone);
  if (problem !== undefined) return problem;
  const expression: CronExpression = CronExpressionParser.parse(window.schedule, { tz: timeZone });
  return {
    window,
    durationMs: parseDuration(window.duration) ?? 0,
    nextStartAfter: (time) => {
      expression.reset(time);
      try {
        return expression.next().toDate();
      } catch {
        return undefined;
      }
    },
  };
}
