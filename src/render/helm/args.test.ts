import { describe, expect, it } from '@jest/globals';
import { escapeSetValue, helmTemplateArgs, inlineValues, type HelmTemplateInput } from './args.js';

const input: HelmTemplateInput = { chart: 'charts/web', releaseName: 'web', namespace: 'prod', apiVersions: [], valueFiles: [], fileParameters: [] };

describe('escapeSetValue', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', 'a\\,b'],
    [',a,,b,', '\\,a\\,\\,b\\,'],
    ['already\\,escaped', 'already\\,escaped'],
    ['{a,b}', '{a,b}'],
    ['{a,b', '{a\\,b'],
    ['', ''],
  ])('%s → %s', (value, escaped) => {
    expect(escapeSetValue(value)).toBe(escaped);
  });
});

describe('helmTemplateArgs', () => {
  it('renders the chart for the release and namespace, with CRDs, and nothing more by default', () => {
    expect(helmTemplateArgs({}, input)).toEqual(['template', 'web', 'charts/web', '--namespace', 'prod', '--include-crds']);
  });

  it('passes the Kubernetes and API versions templates see', () => {
    const args = helmTemplateArgs({}, { ...input, kubeVersion: 'v1.31.2', apiVersions: ['v1', 'apps/v1/Deployment'] });
    expect(args.slice(5)).toEqual(['--kube-version', 'v1.31.2', '--api-versions', 'v1', '--api-versions', 'apps/v1/Deployment', '--include-crds']);
    expect(helmTemplateArgs({}, { ...input, kubeVersion: '' })).not.toContain('--kube-version');
  });

  it('skips CRDs, tests and schema validation when asked', () => {
    const args = helmTemplateArgs({ skipCrds: true, skipTests: true, skipSchemaValidation: true }, input);
    expect(args).toContain('--skip-crds');
    expect(args).not.toContain('--include-crds');
    expect(args).toContain('--skip-tests');
    expect(args).toContain('--skip-schema-validation');
  });

  it('gives values files, then the inline values, then parameters and file parameters, in that order (later wins)', () => {
    const args = helmTemplateArgs(
      { parameters: [{ name: 'a', value: 'x,y' }, { name: 'b', value: '007', forceString: true }, { name: 'list', value: '{1,2}' }] },
      { ...input, valueFiles: ['charts/web/values-prod.yaml', 'common.yaml'], valuesFile: '/scratch/inline-values.yaml', fileParameters: [{ name: 'cfg', path: 'charts/web/cfg.txt' }] },
    );
    expect(args.slice(6)).toEqual([
      '--values', 'charts/web/values-prod.yaml', '--values', 'common.yaml', '--values', '/scratch/inline-values.yaml',
      '--set', 'a=x\\,y', '--set-string', 'b=007', '--set', 'list={1,2}',
      '--set-file', 'cfg=charts/web/cfg.txt',
    ]);
  });

  it('never names a kubeconfig, a context or a server', () => {
    const args = helmTemplateArgs({ skipCrds: false, parameters: [{ name: 'x', value: '1' }] }, { ...input, kubeVersion: '1.30.0', apiVersions: ['v1'] });
    expect(args.filter((a) => /^--(kubeconfig|kube-context|kube-apiserver|validate|dry-run)/.test(a))).toEqual([]);
  });
});

describe('inlineValues', () => {
  it('is valuesObject as JSON when set, replacing values', () => {
    expect(inlineValues({ values: 'a: 1', valuesObject: { b: { c: [1, 'x'] } } })).toBe('{"b":{"c":[1,"x"]}}');
  });

  it('is values when only it is set', () => {
    expect(inlineValues({ values: 'a: 1\n' })).toBe('a: 1\n');
  });

  it('is nothing when neither is set, or values is blank', () => {
    expect(inlineValues({})).toBeUndefined();
    expect(inlineValues({ values: '  \n' })).toBeUndefined();
  });

  it('is an empty valuesObject when it is given empty', () => {
    expect(inlineValues({ values: 'a: 1', valuesObject: {} })).toBe('{}');
  });
});
