/** Application fixtures for the notification tests. */

import type { Application, ApplicationStatus } from '../../api/application.js';

export const commit = 'a'.repeat(40);
export const nextCommit = 'b'.repeat(40);

export function app(status: ApplicationStatus = {}, repoURL = 'https://github.com/example/guestbook.git'): Application {
  return {
    apiVersion: 'capstan.dev/v1alpha1',
    kind: 'Application',
    metadata: { name: 'guestbook', namespace: 'capstan' },
    spec: { source: { repoURL, path: 'guestbook' }, destination: { namespace: 'default' } },
    status,
  };
}

export function synced(phase: 'Succeeded' | 'Failed' | 'Error' | 'Running', options: { revision?: string; message?: string; finishedAt?: string; health?: 'Healthy' | 'Degraded' | 'Progressing' } = {}): Application {
  const revision = options.revision ?? commit;
  return app({
    sync: { status: phase === 'Succeeded' ? 'Synced' : 'OutOfSync', revision },
    health: { status: options.health ?? 'Healthy' },
    operationState: {
      phase,
      message: options.message ?? `sync ${phase.toLowerCase()}`,
      startedAt: '2026-01-01T00:00:00Z',
      revision,
      ...(phase === 'Running' ? {} : { finishedAt: options.finishedAt ?? '2026-01-01T00:01:00Z' }),
    },
  });
}
