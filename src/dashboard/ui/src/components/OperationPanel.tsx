// The running or last operation: phase, message, where the sync is, and its hooks.
import type { OperationState } from '../../../../api/application.js';
import { Badge } from './Badge.js';
import { RelativeTime } from './RelativeTime.js';

export function OperationPanel({ operation, now }: { readonly operation: OperationState; readonly now: number }) {
  const hooks = operation.hooks ?? [];
  return (
    <section class="card operation" data-testid="operation">
      <div class="section-title">
        <h2>Operation</h2>
        <Badge status={operation.phase} testId="operation-phase" />
        {operation.dryRun === true ? <span class="tag">dry run</span> : null}
        <span class="muted small">
          started <RelativeTime iso={operation.startedAt} now={now} />
          {operation.finishedAt === undefined ? null : (
            <>
              , finished <RelativeTime iso={operation.finishedAt} now={now} />
            </>
          )}
        </span>
      </div>
      <p class="operation-message">{operation.message}</p>
      <dl class="facts compact">
        {operation.syncPhase === undefined ? null : (
          <div>
            <dt>Sync phase</dt>
            <dd>{operation.syncPhase}</dd>
          </div>
        )}
        {operation.wave === undefined ? null : (
          <div>
            <dt>Wave</dt>
            <dd>{operation.wave}</dd>
          </div>
        )}
        {operation.waitingFor === undefined || operation.waitingFor === '' ? null : (
          <div class="wide">
            <dt>Waiting for</dt>
            <dd>{operation.waitingFor}</dd>
          </div>
        )}
      </dl>
      {hooks.length === 0 ? null : (
        <table class="small-table hooks">
          <thead>
            <tr>
              <th>Hook</th>
              <th>Phase</th>
              <th>Status</th>
              <th>Message</th>
            </tr>
          </thead>
          <tbody>
            {hooks.map((hook) => (
              <tr key={`${hook.kind}/${hook.namespace}/${hook.name}`}>
                <td class="mono">
                  {hook.kind}/{hook.name}
                </td>
                <td>
                  {hook.phase} · wave {hook.wave}
                </td>
                <td>
                  <Badge status={hook.status} />
                </td>
                <td>{hook.message ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
