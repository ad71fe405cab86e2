import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../api/object.js';
import { normalizeLiveTracking } from './tracking-normalize.js';
import { argoTrackingIdAnnotation, defaultInstanceLabelKey } from './tracking.js';

const id = 'guestbook:apps/Deployment:prod/web';
const settings = { method: 'annotation', instanceLabelKey: defaultInstanceLabelKey } as const;

function deployment(labels?: Record<string, string>, annotations?: Record<string, string>, apiVersion = 'apps/v1', kind = 'Deployment'): KubeObject {
  return {
    apiVersion, kind,
    metadata: { name: 'web', namespace: 'prod', ...(labels === undefined ? {} : { labels }), ...(annotations === undefined ? {} : { annotations }) },
  };
}

describe('normalizeLiveTracking', () => {
  it('takes the desired tracking id for a live object last applied under label tracking, and drops the label the desired object lacks', () => {
    const live = deployment({ [defaultInstanceLabelKey]: 'guestbook', tier: 'web' });
    const desired = deployment({ tier: 'web' }, { [argoTrackingIdAnnotation]: id });
    expect(normalizeLiveTracking(desired, live, settings).metadata).toEqual({
      name: 'web', namespace: 'prod', labels: { tier: 'web' }, annotations: { [argoTrackingIdAnnotation]: id },
    });
    expect(live.metadata.annotations).toBeUndefined();
  });

  it('keeps the label under annotation+label, where the desired object has it too', () => {
    const live = deployment({ [defaultInstanceLabelKey]: 'guestbook' });
    const desired = deployment({ [defaultInstanceLabelKey]: 'guestbook' }, { [argoTrackingIdAnnotation]: id });
    expect(normalizeLiveTracking(desired, live, { ...settings, method: 'annotation+label' }).metadata).toEqual({
      name: 'web', namespace: 'prod', labels: { [defaultInstanceLabelKey]: 'guestbook' }, annotations: { [argoTrackingIdAnnotation]: id },
    });
  });

  it('keeps a live tracking id that differs (the object moved to another app)', () => {
    const other = 'other:apps/Deployment:prod/web';
    const live = deployment({ [defaultInstanceLabelKey]: 'other' }, { [argoTrackingIdAnnotation]: other });
    const desired = deployment(undefined, { [argoTrackingIdAnnotation]: id });
    expect(normalizeLiveTracking(desired, live, settings).metadata).toEqual({ name: 'web', namespace: 'prod', annotations: { [argoTrackingIdAnnotation]: other } });
  });

  it('changes nothing under label tracking, without a live instance label, or for a CustomResourceDefinition', () => {
    const desired = deployment(undefined, { [argoTrackingIdAnnotation]: id });
    const labelled = deployment({ [defaultInstanceLabelKey]: 'guestbook' });
    expect(normalizeLiveTracking(desired, labelled, { ...settings, method: 'label' })).toBe(labelled);
    const plain = deployment({ tier: 'web' });
    expect(normalizeLiveTracking(desired, plain, settings)).toBe(plain);
    const crd = deployment({ [defaultInstanceLabelKey]: 'guestbook' }, undefined, 'apiextensions.k8s.io/v1', 'CustomResourceDefinition');
    expect(normalizeLiveTracking(desired, crd, settings)).toBe(crd);
  });

  it('reads the configured instance label key', () => {
    const live = deployment({ 'example.com/app': 'guestbook' });
    const desired = deployment(undefined, { [argoTrackingIdAnnotation]: id });
    expect(normalizeLiveTracking(desired, live, { ...settings, instanceLabelKey: 'example.com/app' }).metadata)
      .toEqual({ name: 'web', namespace: 'prod', annotations: { [argoTrackingIdAnnotation]: id } });
    expect(normalizeLiveTracking(desired, live, settings)).toBe(live);
  });
});
