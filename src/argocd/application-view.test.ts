import { describe, expect, it } from '@jest/globals';
import { observedGenerationAnnotation, specGeneration, statusApplyBody, viewOf } from './application-view.js';
import type { ArgoApplication } from './types.js';

const argo = (extra: Partial<ArgoApplication> = {}): ArgoApplication => ({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'Application',
  metadata: { name: 'guestbook', namespace: 'argocd', generation: 7, annotations: { [observedGenerationAnnotation]: '42' } },
  spec: { project: 'default', source: { repoURL: 'https://git.example/apps.git', path: 'guestbook' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'guestbook' } },
  ...extra,
});

describe('specGeneration', () => {
  it('changes with the spec and the operation field, not with the status or the stored generation', () => {
    const base = specGeneration(argo());
    expect(specGeneration(argo({ status: { sync: { status: 'Synced' } } }))).toBe(base);
    expect(specGeneration({ ...argo(), metadata: { ...argo().metadata, generation: 8 } })).toBe(base);
    expect(specGeneration(argo({ spec: { ...argo().spec, project: 'other' } }))).not.toBe(base);
    expect(specGeneration(argo({ operation: { sync: { revision: 'HEAD' } } }))).not.toBe(base);
    expect(Number.isSafeInteger(base) && base > 0).toBe(true);
  });

  it('does not depend on the order of keys', () => {
    const reordered = argo({ spec: { destination: argo().spec.destination, source: { path: 'guestbook', repoURL: 'https://git.example/apps.git' }, project: 'default' } });
    expect(specGeneration(reordered)).toBe(specGeneration(argo()));
  });
});

describe('viewOf', () => {
  it('is the Capstan Application with the spec generation and the observed one read back', () => {
    const { app, unsupported } = viewOf(argo({ status: { sync: { status: 'Synced', revision: 'a'.repeat(40) } } }));
    expect(app.apiVersion).toBe('capstan.dev/v1alpha1');
    expect(app.metadata.generation).toBe(specGeneration(argo()));
    expect(app.status?.observedGeneration).toBe(42);
    expect(unsupported).toEqual([]);
  });
});

describe('statusApplyBody', () => {
  it("applies Argo CD's status and the observed generation, nothing of the spec", () => {
    const body = statusApplyBody(argo(), { observedGeneration: 5, sync: { status: 'OutOfSync', revision: 'b'.repeat(40) } }, '2026-12-03T00:00:00Z');
    expect(body).toMatchObject({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'guestbook', namespace: 'argocd', annotations: { [observedGenerationAnnotation]: '5' } } });
    expect(body.status.sync).toMatchObject({ status: 'OutOfSync', revision: 'b'.repeat(40) });
    expect('spec' in body).toBe(false);
  });
});
