// The Application view: header, actions, conditions, the plan, operation, resource tree with its side panel, history.
import { useCallback, useState } from 'preact/hooks';
import type { TreeNode } from '../../../api-types.js';
import { runAction, type AppAction, type SyncOptions } from '../app-actions.js';
import { messageOf } from '../api.js';
import { ActionBar, type ActionOutcome } from '../components/ActionBar.js';
import { ActionDialog } from '../components/ActionDialog.js';
import { AppHeader } from '../components/AppHeader.js';
import { Breadcrumb } from '../components/Breadcrumb.js';
import { Conditions } from '../components/Conditions.js';
import { History } from '../components/History.js';
import { OperationPanel } from '../components/OperationPanel.js';
import { PlanPanel } from '../components/PlanPanel.js';
import { ResourcePanel } from '../components/ResourcePanel.js';
import { StreamMarker } from '../components/StreamMarker.js';
import { Tree } from '../components/Tree.js';
import { nodeKey, treeSize } from '../tree-nodes.js';
import { useAppDetail } from '../use-app-detail.js';
import { useNow } from '../use-now.js';

const noSyncOptions: SyncOptions = { prune: false, dryRun: false };

export function AppView({ namespace, name }: { readonly namespace: string; readonly name: string }) {
  const { app, tree, treeNote, error, deleted, stream, reload } = useAppDetail(namespace, name);
  const now = useNow(10_000);
  const [action, setAction] = useState<AppAction | undefined>(undefined);
  const [syncOptions, setSyncOptions] = useState<SyncOptions>(noSyncOptions);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ActionOutcome | undefined>(undefined);
  const [selected, setSelected] = useState<TreeNode | undefined>(undefined);

  const open = (next: AppAction): void => {
    // The result shown is always that of the last action asked for: the previous one goes now.
    setOutcome(undefined);
    setSyncOptions(noSyncOptions);
    setAction(next);
  };
  const cancel = useCallback(() => {
    setAction(undefined);
  }, []);
  const confirm = (): void => {
    if (action === undefined) return;
    setBusy(true);
    runAction(namespace, name, action, syncOptions)
      .then((result) => {
        setOutcome({ ok: true, message: result.message });
        reload();
      })
      .catch((cause: unknown) => {
        setOutcome({ ok: false, message: messageOf(cause) });
      })
      .finally(() => {
        setBusy(false);
        setAction(undefined);
      });
  };

  if (app === undefined) {
    return (
      <section class="page">
        <Breadcrumb namespace={namespace} name={name} />
        {error === undefined ? <div class="empty">Loading…</div> : <div class="error-box" data-testid="load-error">{error}</div>}
      </section>
    );
  }
  const operation = app.status?.operationState;
  const running = operation?.phase === 'Running';
  const side = operation !== undefined || selected !== undefined;
  return (
    <section class="page">
      <Breadcrumb namespace={namespace} name={name}>
        <StreamMarker state={stream} />
      </Breadcrumb>
      {deleted ? <div class="error-box">This application was deleted.</div> : null}
      {error === undefined ? null : <div class="error-box">{error}</div>}
      <AppHeader app={app} />
      <ActionBar namespace={namespace} name={name} running={running} outcome={outcome} onAction={open} />
      <Conditions conditions={app.status?.conditions ?? []} />
      {app.status?.plan === undefined ? null : <PlanPanel plan={app.status.plan} />}
      <div class={side ? 'app-body with-side' : 'app-body'}>
        <section class="card tree-card">
          <div class="section-title">
            <h2>Resources</h2>
            <span class="muted small">{treeSize(tree)} objects</span>
          </div>
          <Tree app={app} roots={tree} note={treeNote} selected={selected === undefined ? undefined : nodeKey(selected)} onSelect={setSelected} />
        </section>
        {side ? (
          <div class="side-column">
            {operation === undefined ? null : <OperationPanel operation={operation} now={now} />}
            {selected === undefined ? null : (
              <ResourcePanel
                key={nodeKey(selected)}
                appNamespace={namespace}
                appName={name}
                node={selected}
                onClose={() => {
                  setSelected(undefined);
                }}
              />
            )}
          </div>
        ) : null}
      </div>
      <History history={app.status?.history ?? []} now={now} onRollback={(entry) => { open({ kind: 'rollback', id: entry.id, revision: entry.revision }); }} />
      {action === undefined ? null : (
        <ActionDialog appName={name} action={action} sync={syncOptions} busy={busy} onSyncChange={setSyncOptions} onConfirm={confirm} onCancel={cancel} />
      )}
    </section>
  );
}
