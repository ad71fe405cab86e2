import { describe, expect, it } from '@jest/globals';
import { readApplication } from './application-file.js';

const app = (apiVersion: string, spec: string) => `apiVersion: ${apiVersion}
kind: Application
metadata:
  name: shop
spec:
${spec}`;

const helmSpec = `  source:
    repoURL: https://git.example/shop.git
    path: chart
    helm:
      valueFiles: [values-prod.yaml]
  destination:
    namespace: prod
`;

describe('readApplication', () => {
  it("reads Capstan's and Argo CD's Application, and gives its one source", () => {
    for (const apiVersion of ['capstan.dev/v1alpha1', 'argoproj.io/v1alpha1']) {
      const read = readApplication(app(apiVersion, helmSpec));
      if (!read.ok) throw new Error(read.message);
      expect(read.app.metadata.name).toBe('shop');
      expect(read.sources).toEqual([{ repoURL: 'https://git.example/shop.git', path: 'chart', helm: { valueFiles: ['values-prod.yaml'] } }]);
      expect(read.multi).toBe(false);
      expect(read.app.spec.destination).toEqual({ namespace: 'prod' });
    }
  });

  it('gives the sources of spec.sources, and checks each as the controller does', () => {
    const read = readApplication(app('argoproj.io/v1alpha1', `  sources:
    - repoURL: https://git.example/charts.git
      path: site
      helm: {valueFiles: [$values/site/prod.yaml]}
    - repoURL: https://git.example/values.git
      ref: values
  destination: {}
`));
    if (!read.ok) throw new Error(read.message);
    expect(read.multi).toBe(true);
    expect(read.sources.map((s) => s.ref ?? s.path)).toEqual(['site', 'values']);
    const message = (spec: string) => {
      const refused = readApplication(app('capstan.dev/v1alpha1', spec));
      return refused.ok ? 'read' : refused.message;
    };
    expect(message('  sources: {repoURL: /r}\n')).toBe('InvalidSpec: spec.sources must be a list of sources');
    expect(message('  sources:\n    - repoURL: /r\n    - path: x\n')).toBe('InvalidSpec: spec.sources[1].repoURL is required');
    expect(message('  sources:\n    - {repoURL: /r, ref: 3}\n')).toBe('InvalidSpec: spec.sources[0].ref must be a string');
    expect(message('  sources:\n    - {repoURL: /r, helm: {valueFiles: [$nope/v.yaml]}}\n')).toBe('InvalidSpec: spec.sources[0].helm.valueFiles "$nope/v.yaml" names $nope, but no source of spec.sources has ref: nope');
  });

  it('takes JSON and a missing destination', () => {
    const read = readApplication(JSON.stringify({ apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: 'a' }, spec: { source: { repoURL: '/srv/repo' } } }));
    expect(read.ok && read.app.spec.destination).toEqual({});
  });

  it('gives the InvalidSpec message the controller would, without "nothing was applied"', () => {
    const read = readApplication(app('capstan.dev/v1alpha1', `${helmSpec}  projct: team-a\n`));
    expect(read).toEqual({ ok: false, message: 'InvalidSpec: spec.projct is not a field Capstan knows' });
    const types = readApplication(app('capstan.dev/v1alpha1', '  source:\n    repoURL: /srv/repo\n    helm: {}\n    kustomize: {}\n  destination: {}\n'));
    expect(types.ok ? '' : types.message).toMatch(/^InvalidSpec: spec\.source names more than one source type \(kustomize, helm\)/);
  });

  it('refuses what is not one Application, or not shaped as the CRD has it', () => {
    const message = (text: string) => {
      const read = readApplication(text);
      return read.ok ? 'read' : read.message;
    };
    expect(message('')).toBe('holds no Application');
    expect(message('a: [')).toMatch(/^not valid YAML: /);
    expect(message('apiVersion: v1\nkind: ConfigMap\n')).toBe('is a ConfigMap of v1, not an Application (capstan.dev/v1alpha1 or argoproj.io/v1alpha1)');
    expect(message(`${app('capstan.dev/v1alpha1', helmSpec)}---\n${app('capstan.dev/v1alpha1', helmSpec)}`)).toBe('holds 2 documents; give a file of one Application');
    expect(message(app('capstan.dev/v1alpha1', '  source:\n    path: x\n'))).toBe('InvalidSpec: spec.source.repoURL is required');
    expect(message(app('capstan.dev/v1alpha1', '  source:\n    repoURL: /r\n    path: 3\n'))).toBe('InvalidSpec: spec.source.path must be a string');
    expect(message(app('capstan.dev/v1alpha1', '  source: {repoURL: /r}\n  syncPolicy: {syncOptions: CreateNamespace=true}\n'))).toBe('InvalidSpec: spec.syncPolicy.syncOptions must be a list of strings');
  });
});
