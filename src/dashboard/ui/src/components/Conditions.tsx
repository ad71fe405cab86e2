// The app's conditions (type, reason, message).
import type { Condition } from '../../../../api/application.js';

export function Conditions({ conditions }: { readonly conditions: readonly Condition[] }) {
  if (conditions.length === 0) return null;
  return (
    <ul class="conditions" data-testid="conditions">
      {conditions.map((condition) => (
        <li key={condition.type} class={`condition condition-${condition.status.toLowerCase()}`}>
          <strong>{condition.type}</strong>
          <span class="muted">{condition.status}</span>
          <span class="reason">{condition.reason}</span>
          <span class="message">{condition.message}</span>
        </li>
      ))}
    </ul>
  );
}
