// A modal asking to confirm an action; options (checkboxes) go in as children.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

interface ConfirmDialogProps {
  readonly title: string;
  readonly confirmLabel: string;
  readonly danger?: boolean;
  readonly busy?: boolean;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
  readonly children?: ComponentChildren;
}

export function ConfirmDialog({ title, confirmLabel, danger = false, busy = false, onConfirm, onCancel, children }: ConfirmDialogProps) {
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    confirmButton.current?.focus();
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') onCancel();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [onCancel]);
  return (
    <div class="dialog-backdrop" onClick={onCancel}>
      <div
        class="dialog"
        role="dialog"
        aria-modal="true"
        aria-label={title}
        data-testid="confirm-dialog"
        onClick={(event) => {
          event.stopPropagation();
        }}
      >
        <h2>{title}</h2>
        {children}
        <div class="dialog-buttons">
          <button type="button" class="button" data-testid="cancel" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" ref={confirmButton} class={danger ? 'button danger' : 'button primary'} data-testid="confirm" disabled={busy} onClick={onConfirm}>
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
