// The head of the Application view: what the app deploys, from where to where, and its status.
import type { Application } from '../../../../api/application.js';
import { destinationLabel, shortRevision, sourceLines, syncPolicyLabel } from '../format.js';
import { Badge } from './Badge.js';

export function AppHeader({ app }: { readonly app: Application }) {
  const status = app.status;
  const revision = status?.sync?.revision;
  return (
    <div class="card app-header" data-testid="app-header">
      <div class="app-header-title">
        <h1>{app.metadata.name}</h1>
        <span class="muted">{app.metadata.namespace}</span>
        <Badge status={status?.sync?.status} testId="app-sync" />
        <Badge status={status?.health?.status} testId="app-health" title={status?.health?.message} />
      </div>
      <dl class="facts">
        <div>
          <dt>Project</dt>
          <dd>{app.spec.project ?? 'default'}</dd>
        </div>
        <div class="wide">
          <dt>Source</dt>
          <dd class="mono">
            {sourceLines(app).map((line) => (
              <div key={line}>{line}</div>
            ))}
          </dd>
        </div>
        <div>
          <dt>Destination</dt>
          <dd class="mono">{destinationLabel(app.spec.destination)}</dd>
        </div>
        <div>
          <dt>Sync policy</dt>
          <dd>{syncPolicyLabel(app)}</dd>
        </div>
        <div>
          <dt>Revision</dt>
          <dd class="mono" title={revision}>
            {revision === undefined ? '—' : shortRevision(revision)}
          </dd>
        </div>
      </dl>
    </div>
  );
}
