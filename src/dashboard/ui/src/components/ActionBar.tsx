// The action buttons of the Application view, the link to its diff, and the last action's result.
import type { AppAction } from '../app-actions.js';
import { diffHref } from '../routes.js';

/** What the last action answered: its message, or the error. */
export interface ActionOutcome {
  readonly ok: boolean;
  readonly message: string;
}

interface ActionBarProps {
  readonly namespace: string;
  readonly name: string;
  /** Whether an operation is running (only then can it be terminated). */
  readonly running: boolean;
  readonly outcome: ActionOutcome | undefined;
  readonly onAction: (action: AppAction) => void;
}

export function ActionBar({ namespace, name, running, outcome, onAction }: ActionBarProps) {
  const button = (action: AppAction, label: string, style: string, disabled = false) => (
    <button
      type="button"
      class={`button ${style}`}
      data-testid={`action-${action.kind}`}
      disabled={disabled}
      onClick={() => {
        onAction(action);
      }}
    >
      {label}
    </button>
  );
  return (
    <div class="actions">
      {button({ kind: 'sync' }, 'Sync', 'primary')}
      {button({ kind: 'refresh' }, 'Refresh', '')}
      {button({ kind: 'hard-refresh' }, 'Hard refresh', '')}
      {button({ kind: 'terminate' }, 'Terminate', 'danger-outline', !running)}
      <a class="button" href={diffHref(namespace, name)} data-testid="open-diff">
        Diff
      </a>
      {outcome === undefined ? null : (
        <span class={outcome.ok ? 'action-result' : 'action-error'} data-testid={outcome.ok ? 'action-result' : 'action-error'} role="status">
          {outcome.message}
        </span>
      )}
    </div>
  );
}
