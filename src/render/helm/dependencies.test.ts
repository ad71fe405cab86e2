import { describe, expect, it } from '@jest/globals';
import yaml from 'js-yaml';
import { chartDependencies } from './dependencies.js';

const chart = (dependencies: unknown[]): string => yaml.dump({ apiVersion: 'v2', name: 'web', version: '1.0.0', dependencies });

describe('chartDependencies', () => {
  it('lists none for a chart without dependencies', () => {
    expect(chartDependencies(yaml.dump({ apiVersion: 'v2', name: 'web', version: '1.0.0' }), 'chart')).toEqual({ ok: true, dependencies: [], flags: [] });
  });

  it('lists each dependency with the directory it has under charts/ (its alias, else its name)', () => {
    const result = chartDependencies(chart([
      { name: 'lib', version: '1.0.0', repository: 'file://../lib' },
      { name: 'redis', version: '18.0.0', repository: 'https://charts.example.com', alias: 'cache' },
      { name: 'vendored', version: '0.1.0' },
    ]), 'apps/web');
    expect(result).toEqual({
      ok: true,
      flags: [],
      dependencies: [
        { name: 'lib', repository: 'file://../lib', dirName: 'lib' },
        { name: 'redis', repository: 'https://charts.example.com', dirName: 'cache' },
        { name: 'vendored', repository: '', dirName: 'vendored' },
      ],
    });
  });

  it.each(['file://../../..', 'file://../../../outside', 'file:///etc', 'file://../../../x/..'])('refuses a file dependency %s outside the repository', (repository) => {
    expect(chartDependencies(chart([{ name: 'lib', version: '1', repository }]), 'apps/web')).toEqual({
      ok: false,
      error: { code: 'PathEscapesRepository', file: 'apps/web/Chart.yaml', message: `dependency lib comes from "${repository}", which is outside the repository` },
    });
  });

  it('takes a file dependency inside the repository, and one of a chart at the root', () => {
    expect(chartDependencies(chart([{ name: 'lib', version: '1', repository: 'file://../../libs/lib' }]), 'apps/web').ok).toBe(true);
    expect(chartDependencies(chart([{ name: 'lib', version: '1', repository: 'file://./charts/lib' }]), '.').ok).toBe(true);
    expect(chartDependencies(chart([{ name: 'lib', version: '1', repository: 'file://../lib' }]), '.').ok).toBe(false);
  });

  it.each(['@stable', 'alias:stable'])('refuses the repository name %s, which only a local helm knows', (repository) => {
    const result = chartDependencies(chart([{ name: 'redis', version: '1', repository }]), 'chart');
    expect(result).toEqual({ ok: false, error: { code: 'InvalidOption', file: 'chart/Chart.yaml', message: `dependency redis names the repository "${repository}", which is known only to a local helm; give its URL` } });
  });

  it.each(['oci://localhost:5000/charts', 'oci://127.0.0.1:41234/x', 'oci://[::1]:5000/x', 'oci://localhost'])('pulls from the loopback registry %s over plain HTTP', (repository) => {
    expect(chartDependencies(chart([{ name: 'lib', version: '1', repository }]), 'chart')).toMatchObject({ ok: true, flags: ['--plain-http'] });
  });

  it.each(['oci://registry.example.com/charts', 'oci://localhost.example.com/x', 'https://localhost:5000'])('pulls from %s over TLS', (repository) => {
    expect(chartDependencies(chart([{ name: 'lib', version: '1', repository }]), 'chart')).toMatchObject({ ok: true, flags: [] });
  });

  it('refuses a Chart.yaml that is not YAML', () => {
    const result = chartDependencies('name: [', 'chart');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'ParseError', file: 'chart/Chart.yaml' });
  });

  it('ignores dependency entries that are not mappings', () => {
    expect(chartDependencies(chart(['lib', null, { name: 'x', version: '1' }]), 'c')).toMatchObject({ ok: true, dependencies: [{ name: 'x' }] });
  });
});
