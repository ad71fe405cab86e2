import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { isRecord } from '../api/object.js';

const file = new URL('../../test/fixtures/argocd/crds.yaml', import.meta.url);

interface Crd {
  metadata: { name: string };
  spec: {
    group: string;
    scope: string;
    names: { kind: string; plural: string; shortNames?: string[] };
    versions: { name: string; served: boolean; storage: boolean; subresources?: Record<string, unknown>; additionalPrinterColumns?: { name: string; jsonPath: string; priority?: number }[]; schema: { openAPIV3Schema: Record<string, unknown> } }[];
  };
}

const crds = yaml.loadAll(readFileSync(file, 'utf8')) as Crd[];
const byName = new Map(crds.map((c) => [c.metadata.name, c]));

/** The paths of every schema node that keeps unknown fields. */
function preservingPaths(schema: unknown, path: string): string[] {
  if (!isRecord(schema)) return [];
  const own = schema['x-kubernetes-preserve-unknown-fields'] === true ? [path] : [];
  const properties = isRecord(schema['properties']) ? Object.entries(schema['properties']).flatMap(([k, v]) => preservingPaths(v, `${path}.${k}`)) : [];
  return [...own, ...properties, ...preservingPaths(schema['items'], `${path}[]`), ...preservingPaths(schema['additionalProperties'], `${path}{}`)];
}

describe('test/fixtures/argocd/crds.yaml', () => {
  it('has Argo CD\'s Application CRD: names, printer columns, and no status subresource', () => {
    const app = byName.get('applications.argoproj.io');
    expect(app?.spec.group).toBe('argoproj.io');
    expect(app?.spec.scope).toBe('Namespaced');
    expect(app?.spec.names).toMatchObject({ kind: 'Application', plural: 'applications', shortNames: ['app', 'apps'] });
    const version = app?.spec.versions[0];
    expect(version).toMatchObject({ name: 'v1alpha1', served: true, storage: true, subresources: {} });
    expect(version?.additionalPrinterColumns?.map((c) => [c.name, c.jsonPath, c.priority])).toEqual([
      ['Sync Status', '.status.sync.status', undefined],
      ['Health Status', '.status.health.status', undefined],
      ['Revision', '.status.sync.revision', 10],
      ['Project', '.spec.project', 10],
    ]);
    const schema = version?.schema.openAPIV3Schema ?? {};
    expect(Object.keys(isRecord(schema['properties']) ? schema['properties'] : {}).sort()).toEqual(['apiVersion', 'kind', 'metadata', 'operation', 'spec', 'status']);
  });

  it('has Argo CD\'s AppProject CRD: names, no subresources', () => {
    const project = byName.get('appprojects.argoproj.io');
    expect(project?.spec.names).toMatchObject({ kind: 'AppProject', plural: 'appprojects', shortNames: ['appproj', 'appprojs'] });
    expect(project?.spec.scope).toBe('Namespaced');
    expect(project?.spec.versions[0]?.subresources).toBeUndefined();
  });

  it('keeps unknown fields only under helm.valuesObject, as Argo CD\'s does', () => {
    const paths = crds.flatMap((c) => preservingPaths(c.spec.versions[0]?.schema.openAPIV3Schema, c.metadata.name));
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((p) => !p.endsWith('.helm.valuesObject'))).toEqual([]);
  });
});
