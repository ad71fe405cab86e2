import type { FieldChange } from './compare.js';
import { redactedValue } from './compare.js';
import { arrayIndexOf, parsePointer } from './pointer.js';

/** How many changes describeChanges lists before it summarises the rest. */
export const defaultMaxDescribedChanges = 5;

/** Values longer than this are cut: the summary is for status messages and Events, not for reviewing a manifest. */
const maxValueLength = 80;

/**
 * One line per change, live value first: `spec.replicas: 3 → 5`, `spec.paused: (absent) → true`. At most `max` lines,
 * then `… and N more`. Empty for no changes.
 */
export function describeChanges(changes: readonly FieldChange[], max: number = defaultMaxDescribedChanges): string {
  const shown = Math.max(0, Math.floor(max));
  const lines = changes
    .slice(0, shown)
    .map((change) => `${displayPath(change.path)}: ${formatValue(change.live)} → ${formatValue(change.desired)}`);
  const rest = changes.length - Math.min(shown, changes.length);
  if (rest > 0) lines.push(`… and ${rest} more`);
  return lines.join('\n');
}

/** '/spec/template/spec/containers/0/image' → 'spec.template.spec.containers[0].image'. */
export function displayPath(pointer: string): string {
  const tokens = parsePointer(pointer);
  if (tokens === undefined || tokens.length === 0) return '(object)';
  return tokens
    .map((token, position) => {
      if (arrayIndexOf(token) !== undefined) return `[${token}]`;
      if (/^[A-Za-z_$][\w$-]*$/.test(token)) return position === 0 ? token : `.${token}`;
      return `[${JSON.stringify(token)}]`;
    })
    .join('');
}

function formatValue(value: unknown): string {
  if (value === undefined) return '(absent)';
  if (value === redactedValue) return redactedValue;
  const text = JSON.stringify(value);
  return text.length > maxValueLength ? `${text.slice(0, maxValueLength - 1)}…` : text;
}
