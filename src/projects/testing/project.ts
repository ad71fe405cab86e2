import { appProjectApiVersion, appProjectKind, type AppProject, type AppProjectSpec } from '../types.js';

/** An AppProject named `name` in namespace capstan with `spec`, for tests. */
export const project = (name: string, spec: AppProjectSpec): AppProject => ({
  apiVersion: appProjectApiVersion,
  kind: appProjectKind,
  metadata: { name, namespace: 'capstan' },
  spec,
});
