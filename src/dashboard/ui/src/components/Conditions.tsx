// The app's conditions (type, reason, message).
import type { Condition } from '../../../../api/application.js';

/** Ready is normally True; the other conditions (Reconciling, Stalled, errors) are present while something needs attention. */
function toneOf(condition: Condition): 'ok' | 'warn' | 'bad' {
  if (condition.type === 'Ready') return condition.status === 'True' ? 'ok' : 'bad';
  return condition.status === 'True' ? 'warn' : 'ok';
}

export function Conditions({ conditions }: { readonly conditions: readonly Condition[] }) {
  if (conditions.length === 0) return null;
  return (
    <ul class="conditions" data-testid="conditions">
      {conditions.map((condition) => (
        <li key={condition.type} class={`condition condition-${toneOf(condition)}`}>
          <strong>{condition.type}</strong>
          <span class="muted">{condition.status}</span>
          <span class="reason">{condition.reason}</span>
          <span class="message">{condition.message}</span>
        </li>
      ))}
    </ul>
  );
}
