import { describe, expect, it } from '@jest/globals';
import type { Application } from './application.js';
import { renderOptionTypeProblems } from './render-options.js';
import { validateSpec } from './validate.js';

function app(source: Record<string, unknown>): Application {
  return {
    apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: 'a', namespace: 'capstan' },
    spec: { source: { repoURL: 'https://git.example/a.git', ...source }, destination: { namespace: 'a' } },
  };
}

const message = (a: Application): string => {
  const result = validateSpec(a);
  return result.ok ? '' : result.error.message;
};

describe('source.plugin', () => {
  it('is accepted with a name, env entries and parameters of each kind, and empty', () => {
    expect(validateSpec(app({
      path: 'app',
      plugin: {
        name: 'sops', env: [{ name: 'FOO', value: 'bar-$ARGOCD_APP_NAME' }],
        parameters: [{ name: 's', string: 'x' }, { name: 'a', array: ['1', '2'] }, { name: 'm', map: { k: 'v' } }, { name: 'all', string: 'x', array: [], map: {} }],
      },
    }))).toEqual({ ok: true, value: undefined });
    expect(validateSpec(app({ plugin: {} })).ok).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown field', { name: 'x', version: 'v1' }, 'spec.source.plugin.version is not a field Capstan knows'],
    ['an unknown field of an env entry', { env: [{ name: 'A', value: 'b', valueFrom: {} }] }, 'spec.source.plugin.env[0].valueFrom is not a field Capstan knows'],
    ['an unknown field of a parameter', { parameters: [{ name: 'p', value: 'x' }] }, 'spec.source.plugin.parameters[0].value is not a field Capstan knows'],
    ['a name that is not a string', { name: 3 }, 'spec.source.plugin.name must be a string'],
    ['an env entry without a value', { env: [{ name: 'A' }] }, 'spec.source.plugin.env[0].value is required'],
    ['an env entry with an empty name', { env: [{ name: '', value: 'x' }] }, "spec.source.plugin.env[0].name must be a non-empty name without '='"],
    ['an env name with =', { env: [{ name: 'A=B', value: 'x' }] }, "spec.source.plugin.env[0].name must be a non-empty name without '='"],
    ['a parameter without a name', { parameters: [{ string: 'x' }] }, 'spec.source.plugin.parameters[0].name is required'],
    ['an array of numbers', { parameters: [{ name: 'a', array: [1] }] }, 'spec.source.plugin.parameters[0].array must be a list of strings'],
    ['a map of numbers', { parameters: [{ name: 'm', map: { k: 1 } }] }, 'spec.source.plugin.parameters[0].map must be a map of strings'],
    ['env that is not a list', { env: { A: 'b' } }, 'spec.source.plugin.env must be a list'],
    ['a plugin that is not a mapping', 'sops' as unknown as Record<string, unknown>, 'spec.source.plugin must be a mapping'],
  ])('refuses %s', (_case, plugin, why) => {
    expect(message(app({ plugin }))).toContain(why);
  });

  it('refuses a plugin beside another source type, and with a chart', () => {
    expect(message(app({ plugin: {}, kustomize: {} }))).toContain('names more than one source type (kustomize, plugin)');
    expect(message(app({ plugin: {}, chart: 'nginx' }))).toContain('spec.source.plugin does not apply to a chart from a chart repository');
  });

  it('has its types checked wherever a source is', () => {
    expect(renderOptionTypeProblems({ plugin: { env: [{ name: 'A', value: 1 }] } }, 'spec.sources[1]')).toEqual(['spec.sources[1].plugin.env[0].value must be a string']);
    expect(renderOptionTypeProblems({}, 'spec.source')).toEqual([]);
  });
});
