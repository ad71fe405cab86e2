import type { Application } from '../../api/application.js';
import { redactText, redactUrl } from '../../git/url.js';

/**
 * The Application as the CLI shows it: credentials in spec.source.repoURL (user part, query
 * values) removed, also from annotations that copy the spec (kubectl's last-applied-configuration).
 */
export function redactApplication(app: Application): Application {
  const annotations = app.metadata.annotations;
  return {
    ...app,
    metadata: {
      ...app.metadata,
      ...(annotations === undefined ? {} : { annotations: Object.fromEntries(Object.entries(annotations).map(([k, v]) => [k, redactText(v)])) }),
    },
    spec: {
      ...app.spec,
      ...(app.spec.source === undefined ? {} : { source: { ...app.spec.source, repoURL: redactUrl(app.spec.source.repoURL) } }),
      ...(app.spec.sources === undefined ? {} : { sources: app.spec.sources.map((s) => ({ ...s, repoURL: redactUrl(s.repoURL) })) }),
    },
  };
}
