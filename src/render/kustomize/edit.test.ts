// The label and annotation edits are checked against the real `kustomize edit add` (the pinned binary): without it these tests fail.
import { afterAll, describe, expect, it } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import type { KustomizeSource } from '../../api/application.js';
import { TempTrees, runTool } from '../testing/tools.js';
import { applyKustomizeOptions, hasKustomizeEdits, type Kustomization } from './edit.js';

const trees = new TempTrees('capstan-edit-test');
afterAll(() => trees.remove());

function edited(original: Kustomization, options: KustomizeSource, existing: readonly string[] = []): Kustomization {
  const result = applyKustomizeOptions(original, options, new Set(existing));
  if (!result.ok) throw new Error(`refused: ${result.message}`);
  return result.kustomization;
}

function refusal(original: Kustomization, options: KustomizeSource): string {
  const result = applyKustomizeOptions(original, options, new Set());
  if (result.ok) throw new Error(`accepted: ${JSON.stringify(result.kustomization)}`);
  return result.message;
}

/** What `kustomize edit <args>` leaves of a kustomization (apiVersion and kind, which it adds, left out). */
async function kustomizeEdit(original: Kustomization, args: readonly string[]): Promise<Kustomization> {
  const dir = await trees.make({ 'kustomization.yaml': yaml.dump(original) });
  await runTool('kustomize', ['edit', ...args], dir);
  const { apiVersion: _a, kind: _k, ...rest } = yaml.load(await readFile(path.join(dir, 'kustomization.yaml'), 'utf8')) as Kustomization;
  return rest;
}

/** `labels` entries with kustomize's defaults spelt out (it leaves includeSelectors: false out). */
function labelEntries(k: Kustomization): unknown[] {
  const entries = Array.isArray(k.labels) ? (k.labels as Array<Record<string, unknown>>) : [];
  return entries.map((e) => ({ pairs: e.pairs, includeSelectors: e.includeSelectors === true, includeTemplates: e.includeTemplates === true }));
}

describe('applyKustomizeOptions: names, namespace and images', () => {
  it('replaces the name prefix and suffix and the namespace', () => {
    expect(edited({ namePrefix: 'a-', nameSuffix: '-a', namespace: 'a', resources: ['x.yaml'] }, { namePrefix: 'b-', nameSuffix: '-b', namespace: 'b' }))
      .toEqual({ namePrefix: 'b-', nameSuffix: '-b', namespace: 'b', resources: ['x.yaml'] });
  });

  it('leaves them when the option is empty, as Argo CD runs no edit for it', () => {
    expect(edited({ namePrefix: 'a-', namespace: 'a' }, { namePrefix: '', nameSuffix: '', namespace: '' })).toEqual({ namePrefix: 'a-', namespace: 'a' });
  });

  it('sets every image override by name in one go', () => {
    expect(edited({ images: [{ name: 'nginx', newTag: '1' }, { name: 'redis', newName: 'r' }] }, { images: ['nginx=my/nginx:2', 'alpine:3'] }).images).toEqual([
      { name: 'alpine', newTag: '3' },
      { name: 'nginx', newName: 'my/nginx', newTag: '2' },
      { name: 'redis', newName: 'r' },
    ]);
  });

  it('refuses a malformed image override', () => {
    expect(refusal({}, { images: ['nginx:1', 'nginx'] })).toContain('image override "nginx" sets no new name, tag or digest');
  });

  it('does not change the kustomization it was given', () => {
    const original: Kustomization = { commonLabels: { a: '1' }, images: [{ name: 'x', newTag: '1' }], patches: [{ path: 'p.yaml' }], components: ['c'] };
    const copy = structuredClone(original);
    edited(original, { commonLabels: { b: '2' }, images: ['x:2'], patches: [{ path: 'q.yaml' }], components: ['d'] }, ['d']);
    expect(original).toEqual(copy);
  });
});

describe('applyKustomizeOptions: commonLabels and commonAnnotations', () => {
  it('adds labels to commonLabels', () => {
    expect(edited({ commonLabels: { a: '1' } }, { commonLabels: { b: '2' } }).commonLabels).toEqual({ a: '1', b: '2' });
  });

  it('refuses a label the kustomization sets to another value, as kustomize edit add label does', async () => {
    expect(refusal({ commonLabels: { a: '1' } }, { commonLabels: { a: '2' } })).toContain('already sets label "a" to "1"; set forceCommonLabels');
    await expect(kustomizeEdit({ commonLabels: { a: '1' } }, ['add', 'label', 'a:2'])).rejects.toThrow('label a already in kustomization file');
  });

  it('lets through a label set to the value it already has (kustomize refuses that too; it changes nothing)', () => {
    expect(edited({ commonLabels: { a: '1' } }, { commonLabels: { a: '1' } }).commonLabels).toEqual({ a: '1' });
  });

  it('replaces it with forceCommonLabels, as kustomize edit add label --force does', async () => {
    const original = { commonLabels: { a: '1', c: '3' } };
    const ours = edited(original, { commonLabels: { a: '2', b: '2' }, forceCommonLabels: true });
    expect(ours.commonLabels).toEqual({ a: '2', b: '2', c: '3' });
    expect(ours.commonLabels).toEqual((await kustomizeEdit(original, ['add', 'label', '--force', 'a:2', 'b:2'])).commonLabels);
  });

  it('keeps a label value that is not a string, so that kustomize refuses it as it would have', () => {
    expect(edited({ commonLabels: { n: 1 } }, { commonLabels: { b: '2' } }).commonLabels).toEqual({ n: 1, b: '2' });
  });

  it('refuses an annotation set to another value, and replaces it with forceCommonAnnotations', async () => {
    expect(refusal({ commonAnnotations: { a: '1' } }, { commonAnnotations: { a: '2' } })).toContain('already sets annotation "a" to "1"; set forceCommonAnnotations');
    await expect(kustomizeEdit({ commonAnnotations: { a: '1' } }, ['add', 'annotation', 'a:2'])).rejects.toThrow('annotation a already in kustomization file');
    const ours = edited({ commonAnnotations: { a: '1' } }, { commonAnnotations: { a: '2' }, forceCommonAnnotations: true });
    expect(ours.commonAnnotations).toEqual({ a: '2' });
    expect(ours.commonAnnotations).toEqual((await kustomizeEdit({ commonAnnotations: { a: '1' } }, ['add', 'annotation', '--force', 'a:2'])).commonAnnotations);
  });
});

describe('applyKustomizeOptions: labelWithoutSelector', () => {
  it('writes the labels as a labels entry that includes no selectors', () => {
    expect(edited({}, { commonLabels: { team: 'web' }, labelWithoutSelector: true })).toEqual({ labels: [{ pairs: { team: 'web' }, includeSelectors: false }] });
  });

  it.each<[string, Kustomization, Record<string, string>, boolean]>([
    ['into a new entry', {}, { team: 'web' }, false],
    ['into the entry without selectors already there', { labels: [{ pairs: { x: '1' }, includeSelectors: false }] }, { team: 'web' }, false],
    ['beside an entry with selectors, leaving it alone', { labels: [{ pairs: { team: 'old' }, includeSelectors: true }] }, { team: 'web' }, true],
    ['beside an entry with templates, leaving it alone', { labels: [{ pairs: { team: 'old' }, includeTemplates: true }] }, { team: 'web' }, false],
    ['leaving commonLabels of the same key alone', { commonLabels: { team: 'old' } }, { team: 'web' }, false],
    ['replacing a key of the entry without selectors with force', { labels: [{ pairs: { team: 'old', x: '1' } }] }, { team: 'web' }, true],
  ])('adds labels %s, as kustomize edit add label --without-selector does', async (_case, original, labels, force) => {
    const ours = edited(original, { commonLabels: labels, labelWithoutSelector: true, forceCommonLabels: force });
    const args = ['add', 'label', '--without-selector', ...(force ? ['--force'] : []), ...Object.entries(labels).map(([k, v]) => `${k}:${v}`)];
    const theirs = await kustomizeEdit(original, args);
    expect(labelEntries(ours)).toEqual(labelEntries(theirs));
    expect(ours.commonLabels).toEqual(theirs.commonLabels);
  });

  it('refuses a key of the entry without selectors set to another value, as kustomize does', async () => {
    const original = { labels: [{ pairs: { team: 'old' }, includeSelectors: false }] };
    expect(refusal(original, { commonLabels: { team: 'web' }, labelWithoutSelector: true })).toContain('already sets label "team" to "old"');
    await expect(kustomizeEdit(original, ['add', 'label', '--without-selector', 'team:web'])).rejects.toThrow('label team already in kustomization file');
  });

  it('labels the objects and leaves their selectors alone in the real kustomize build', async () => {
    const dir = await trees.make({
      'deploy.yaml': yaml.dump({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } } }),
      'service.yaml': yaml.dump({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }),
    });
    const build = async (options: KustomizeSource): Promise<Array<{ kind: string; metadata: { labels?: object }; spec: { selector: unknown; template?: { metadata: { labels: object } } } }>> => {
      await writeFile(path.join(dir, 'kustomization.yaml'), yaml.dump(edited({ resources: ['deploy.yaml', 'service.yaml'] }, options)));
      return yaml.loadAll(await runTool('kustomize', ['build', '.'], dir)) as never;
    };
    const [service, deployment] = await build({ commonLabels: { team: 'web' }, labelWithoutSelector: true });
    expect(service?.kind).toBe('Service');
    expect(service?.metadata.labels).toEqual({ team: 'web' });
    expect(service?.spec.selector).toEqual({ app: 'web' });
    expect(deployment?.metadata.labels).toEqual({ team: 'web' });
    expect(deployment?.spec.selector).toEqual({ matchLabels: { app: 'web' } });
    expect(deployment?.spec.template?.metadata.labels).toEqual({ app: 'web' });
    // As commonLabels, the same label goes into the selectors too.
    const [withSelectors] = await build({ commonLabels: { team: 'web' } });
    expect(withSelectors?.spec.selector).toEqual({ app: 'web', team: 'web' });
  });
});

describe('applyKustomizeOptions: replicas, patches and components', () => {
  it('sets replicas by name, with counts given as numbers or strings', () => {
    expect(edited({ replicas: [{ name: 'a', count: 1 }, { name: 'b', count: 1 }] }, { replicas: [{ name: 'b', count: '3' }, { name: 'c', count: ' 4 ' }, { name: 'a', count: 0 }] }).replicas)
      .toEqual([{ name: 'a', count: 0 }, { name: 'b', count: 3 }, { name: 'c', count: 4 }]);
  });

  it.each(['x', '-1', '1.5', ''])('refuses the count "%s"', (count) => {
    expect(refusal({}, { replicas: [{ name: 'web', count }] })).toContain('replicas: the count of "web" is not a whole number');
  });

  it('refuses a count that is a negative or fractional number', () => {
    expect(refusal({}, { replicas: [{ name: 'web', count: -1 }] })).toContain('not a whole number');
    expect(refusal({}, { replicas: [{ name: 'web', count: 1.5 }] })).toContain('not a whole number');
  });

  it('appends patches to those of the kustomization', () => {
    const patch = { patch: '- op: add\n  path: /metadata/labels/x\n  value: y', target: { kind: 'ConfigMap' } };
    expect(edited({ patches: [{ path: 'mine.yaml' }] }, { patches: [patch] }).patches).toEqual([{ path: 'mine.yaml' }, patch]);
    expect(edited({}, { patches: [{ path: 'p.yaml' }] }).patches).toEqual([{ path: 'p.yaml' }]);
  });

  it('appends components not already listed', () => {
    expect(edited({ components: ['../c1'] }, { components: ['../c1', '../c2'] }, ['../c1', '../c2']).components).toEqual(['../c1', '../c2']);
  });

  it('keeps a missing component (kustomize then says it is missing) unless ignoreMissingComponents', () => {
    expect(edited({}, { components: ['../c1', '../gone'] }, ['../c1']).components).toEqual(['../c1', '../gone']);
    expect(edited({}, { components: ['../c1', '../gone'], ignoreMissingComponents: true }, ['../c1']).components).toEqual(['../c1']);
    expect(edited({ resources: [] }, { components: ['../gone'], ignoreMissingComponents: true }, [])).toEqual({ resources: [] });
  });
});

describe('hasKustomizeEdits', () => {
  it('is false for options that only qualify others', () => {
    expect(hasKustomizeEdits({})).toBe(false);
    expect(hasKustomizeEdits({ forceCommonLabels: true, forceCommonAnnotations: true, labelWithoutSelector: true, ignoreMissingComponents: true })).toBe(false);
  });

  it('is true for an option that changes the kustomization', () => {
    expect(hasKustomizeEdits({ namePrefix: 'x-' })).toBe(true);
    expect(hasKustomizeEdits({ components: ['c'] })).toBe(true);
  });
});
