import { serviceAccountFor } from '../projects/index.js';
import type { DestinationResolver } from './ports.js';
import { projectNameOf, type ProjectSource } from './project-source.js';

/**
 * Destinations whose writer is the ServiceAccount the app's project names for that destination
 * (destinationServiceAccounts): every apply, dry run, create, replace, patch and delete of the
 * app, its deletion included, is then authorized by the API server as that ServiceAccount, so
 * RBAC is the final boundary. Reads (the watch cache, discovery) stay the controller's. An app
 * whose project names none, or does not exist (the pipeline refuses it before anything is
 * written), keeps the controller's writer.
 */
export function impersonatingDestinations(inner: DestinationResolver, projects: ProjectSource): DestinationResolver {
  return {
    resolve: async (app) => {
      const found = await inner.resolve(app);
      if (!found.ok) return found;
      const ports = found.value;
      const project = projects.get(projectNameOf(app));
      const user = project === undefined ? undefined : serviceAccountFor(project, {
        server: ports.server, namespace: app.spec.destination.namespace ?? '', appNamespace: app.metadata.namespace ?? '',
      });
      if (user === undefined) return found;
      return { ok: true, value: { ...ports, applier: ports.applierAs(user) } };
    },
  };
}
