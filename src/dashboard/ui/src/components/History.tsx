// The app's deployment history, newest first, each entry with a rollback.
import type { HistoryEntry } from '../../../../api/application.js';
import { shortRevision } from '../format.js';
import { RelativeTime } from './RelativeTime.js';

interface HistoryProps {
  readonly history: readonly HistoryEntry[];
  readonly now: number;
  readonly onRollback: (entry: HistoryEntry) => void;
}

export function History({ history, now, onRollback }: HistoryProps) {
  const newestFirst = [...history].sort((a, b) => b.id - a.id);
  return (
    <section class="card" data-testid="history">
      <div class="section-title">
        <h2>History</h2>
      </div>
      {newestFirst.length === 0 ? (
        <div class="empty">No deployments yet.</div>
      ) : (
        <table class="small-table">
          <thead>
            <tr>
              <th>ID</th>
              <th>Revision</th>
              <th>Deployed</th>
              <th>Initiated by</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {newestFirst.map((entry) => (
              <tr key={entry.id} data-testid="history-row" data-id={String(entry.id)}>
                <td>{entry.id}</td>
                <td class="mono" title={entry.revision}>
                  {shortRevision(entry.revision)}
                </td>
                <td>
                  <RelativeTime iso={entry.deployedAt} now={now} />
                </td>
                <td>{entry.initiatedBy}</td>
                <td class="right">
                  <button
                    type="button"
                    class="button small"
                    data-testid="rollback"
                    onClick={() => {
                      onRollback(entry);
                    }}
                  >
                    Rollback
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
