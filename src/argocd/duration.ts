import { parseDuration } from '../api/duration.js';

export type ArgoDurationResult =
  /** `truncated`: the duration had a part of a second, which was cut off. */
  | { readonly ok: true; readonly seconds: number; readonly truncated: boolean }
  | { readonly ok: false; readonly problem: 'invalid' | 'negative' };

/**
 * Reads a duration of argocd-cm's `timeout.*` keys as Argo CD's application controller does: a
 * Go duration (`180s`, `3m`, `1h30m`, `1.5h`, an optional sign), or else a whole number of
 * seconds, minutes, hours or days (`2d`); then cut to whole seconds, since the controller keeps
 * these periods in seconds (`500ms` is 0). A negative duration is refused, as the controller
 * refuses it (and uses its default).
 */
export function parseArgoDuration(text: string): ArgoDurationResult {
  const days = /^(\d+)d$/.exec(text);
  if (days !== null) return { ok: true, seconds: Number(days[1]) * 86_400, truncated: false };
  const sign = text.startsWith('-') ? -1 : 1;
  const unsigned = text.startsWith('-') || text.startsWith('+') ? text.slice(1) : text;
  const ms = parseDuration(unsigned);
  if (ms === undefined) return { ok: false, problem: 'invalid' };
  const seconds = Math.trunc(ms / 1000);
  if (sign < 0 && ms > 0) return { ok: false, problem: 'negative' };
  return { ok: true, seconds, truncated: seconds * 1000 !== ms };
}

