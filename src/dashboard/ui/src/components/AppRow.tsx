// One row of the Applications table. Memoized: an upsert of one app renders only its row.
import { memo } from 'preact/compat';
import type { AppSummary } from '../../../api-types.js';
import { shortRevision } from '../format.js';
import { appHref } from '../routes.js';
import { Badge } from './Badge.js';
import { RelativeTime } from './RelativeTime.js';

interface AppRowProps {
  readonly app: AppSummary;
  readonly now: number;
}

function AppRowView({ app, now }: AppRowProps) {
  const key = `${app.namespace}/${app.name}`;
  return (
    <tr data-testid="app-row" data-app={key}>
      <td>
        <a class="app-name" href={appHref(app.namespace, app.name)}>
          {app.name}
        </a>
        <div class="muted small">{app.namespace}</div>
      </td>
      <td>{app.project}</td>
      <td>
        <Badge status={app.sync} testId="sync" />
      </td>
      <td>
        <Badge status={app.health} testId="health" />
        {app.operationPhase === 'Running' ? <span class="op-running" title="An operation is running">syncing</span> : null}
      </td>
      <td class="mono" title={app.revision}>
        {shortRevision(app.revision)}
      </td>
      <td>
        <RelativeTime iso={app.lastSyncedAt} now={now} />
      </td>
      <td class="muted small source-cell" title={`${app.repoURL} ${app.path ?? ''}`}>
        <div>{app.cluster}</div>
        <div>{app.destinationNamespace ?? ''}</div>
      </td>
    </tr>
  );
}

export const AppRow = memo(AppRowView);
