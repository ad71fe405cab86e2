// The confirm dialog of one action of the Application view (Sync has its options here).
import type { AppAction, SyncOptions } from '../app-actions.js';
import { shortRevision } from '../format.js';
import { ConfirmDialog } from './ConfirmDialog.js';

interface ActionDialogProps {
  readonly appName: string;
  readonly action: AppAction;
  readonly sync: SyncOptions;
  readonly busy: boolean;
  readonly onSyncChange: (options: SyncOptions) => void;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}

export function ActionDialog({ appName, action, sync, busy, onSyncChange, onConfirm, onCancel }: ActionDialogProps) {
  const common = { busy, onConfirm, onCancel };
  switch (action.kind) {
    case 'sync':
      return (
        <ConfirmDialog title={`Sync ${appName}?`} confirmLabel={sync.dryRun ? 'Dry run' : 'Sync'} {...common}>
          <p>Applies the manifests from Git to the cluster.</p>
          <label class="check">
            <input
              type="checkbox"
              data-testid="opt-prune"
              checked={sync.prune}
              onChange={(event) => {
                onSyncChange({ ...sync, prune: event.currentTarget.checked });
              }}
            />
            Prune: delete objects no longer in Git
          </label>
          <label class="check">
            <input
              type="checkbox"
              data-testid="opt-dry-run"
              checked={sync.dryRun}
              onChange={(event) => {
                onSyncChange({ ...sync, dryRun: event.currentTarget.checked });
              }}
            />
            Dry run: write nothing
          </label>
        </ConfirmDialog>
      );
    case 'refresh':
      return (
        <ConfirmDialog title={`Refresh ${appName}?`} confirmLabel="Refresh" {...common}>
          <p>Compares the cluster with Git again now.</p>
        </ConfirmDialog>
      );
    case 'hard-refresh':
      return (
        <ConfirmDialog title={`Hard refresh ${appName}?`} confirmLabel="Hard refresh" {...common}>
          <p>Fetches the repository and renders the manifests again, ignoring caches, then compares.</p>
        </ConfirmDialog>
      );
    case 'terminate':
      return (
        <ConfirmDialog title={`Terminate the operation of ${appName}?`} confirmLabel="Terminate" danger {...common}>
          <p>Stops the running sync. Objects already applied stay as they are.</p>
        </ConfirmDialog>
      );
    case 'rollback':
      return (
        <ConfirmDialog title={`Roll back ${appName}?`} confirmLabel="Roll back" danger {...common}>
          <p>
            Syncs the app to history entry {action.id} (revision <code>{shortRevision(action.revision)}</code>). Automated sync pauses until the next manual sync.
          </p>
        </ConfirmDialog>
      );
  }
}
