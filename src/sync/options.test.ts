import { describe, expect, it } from '@jest/globals';
import type { Application } from '../api/application.js';
import type { KubeObject } from '../api/object.js';
import {
  appSyncOptions, hookTypes, ignoresExtraneous, resourceSyncOptions, syncWave, unsupportedAppSyncOptions, unsupportedResourceOptions,
  type AppSyncOptions, type ResourceSyncOptions,
} from './options.js';

function withAnnotations(annotations: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'ns', annotations } };
}

function app(syncOptions: string[] | undefined): Application {
  return {
    apiVersion: 'capstan.dev/v1alpha1',
    kind: 'Application',
    metadata: { name: 'guestbook', namespace: 'capstan' },
    spec: {
      source: { repoURL: 'file:///repo' },
      destination: { namespace: 'guestbook' },
      ...(syncOptions === undefined ? {} : { syncPolicy: { syncOptions } }),
    },
  };
}

const defaults: ResourceSyncOptions = {
  prune: true,
  delete: true,
  pruneLast: false,
  replace: false,
  force: false,
  skipDryRunOnMissingResource: false,
  pruneConfirm: false,
  deleteConfirm: false,
};

describe('resourceSyncOptions', () => {
  it.each<[string, Record<string, string>, Partial<ResourceSyncOptions>]>([
    ['no annotation', {}, {}],
    ['Prune=false (Capstan spelling)', { 'capstan.dev/sync-options': 'Prune=false' }, { prune: false }],
    ['Prune=false (Argo CD spelling)', { 'argocd.argoproj.io/sync-options': 'Prune=false' }, { prune: false }],
    ['Prune=confirm: pruned once approved', { 'capstan.dev/sync-options': 'Prune=confirm' }, { pruneConfirm: true }],
    ['Delete=confirm: deleted once approved', { 'capstan.dev/sync-options': 'Delete=confirm' }, { deleteConfirm: true }],
    ['Delete=false', { 'capstan.dev/sync-options': 'Delete=false' }, { delete: false }],
    ['Prune=true', { 'capstan.dev/sync-options': 'Prune=true' }, {}],
    ['case-insensitive values', { 'capstan.dev/sync-options': 'Prune=FALSE,Replace=True' }, { prune: false, replace: true }],
    [
      'commas, semicolons and spaces',
      { 'capstan.dev/sync-options': 'PruneLast=true; ServerSideApply=true, Force=true;SkipDryRunOnMissingResource=true' },
      { pruneLast: true, force: true, skipDryRunOnMissingResource: true },
    ],
    ['an option without a value means true', { 'capstan.dev/sync-options': 'Replace' }, { replace: true }],
    ['anything but true leaves an option off', { 'capstan.dev/sync-options': 'Replace=yes,Force=1' }, {}],
    [
      'the Capstan spelling wins over the Argo CD one',
      { 'capstan.dev/sync-options': 'Replace=true', 'argocd.argoproj.io/sync-options': 'Prune=false' },
      { replace: true },
    ],
  ])('%s', (_case, annotations, expected) => {
    expect(resourceSyncOptions(withAnnotations(annotations))).toEqual({ ...defaults, ...expected });
  });

  it('uses the defaults for an object without annotations', () => {
    expect(resourceSyncOptions({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } })).toEqual(defaults);
  });
});

const appDefaults: AppSyncOptions = {
  createNamespace: false, pruneLast: false, applyOutOfSyncOnly: true, replace: false, failOnSharedResource: false, prunePropagationPolicy: 'Foreground',
  respectIgnoreDifferences: false,
};

describe('appSyncOptions', () => {
  it.each<[string, string[] | undefined, Partial<AppSyncOptions>]>([
    ['no syncPolicy', undefined, {}],
    ['no options', [], {}],
    ['CreateNamespace=true', ['CreateNamespace=true'], { createNamespace: true }],
    ['PruneLast=true', ['PruneLast=true'], { pruneLast: true }],
    ['ApplyOutOfSyncOnly=false', ['ApplyOutOfSyncOnly=false'], { applyOutOfSyncOnly: false }],
    ['ApplyOutOfSyncOnly=true', ['ApplyOutOfSyncOnly=true'], {}],
    ['Replace=true', ['Replace=true'], { replace: true }],
    ['FailOnSharedResource=true', ['FailOnSharedResource=true'], { failOnSharedResource: true }],
    ['PrunePropagationPolicy=background', ['PrunePropagationPolicy=background'], { prunePropagationPolicy: 'Background' }],
    ['PrunePropagationPolicy=orphan', ['PrunePropagationPolicy=orphan'], { prunePropagationPolicy: 'Orphan' }],
    ['RespectIgnoreDifferences=true', ['RespectIgnoreDifferences=true'], { respectIgnoreDifferences: true }],
    ['RespectIgnoreDifferences=false', ['RespectIgnoreDifferences=false'], {}],
    ['several entries', ['CreateNamespace=true', 'Validate=false', 'PruneLast=true'], { createNamespace: true, pruneLast: true }],
    ['the later entry wins', ['CreateNamespace=true', 'CreateNamespace=false'], {}],
  ])('%s', (_case, syncOptions, expected) => {
    expect(appSyncOptions(app(syncOptions))).toEqual({ ...appDefaults, ...expected });
  });
});

describe('unsupported options are named, never ignored', () => {
  it('accepts every app option Capstan implements', () => {
    expect(unsupportedAppSyncOptions(app(['CreateNamespace=true', 'PruneLast=false', 'ApplyOutOfSyncOnly=true', 'ServerSideApply=true', 'Replace=true',
      'FailOnSharedResource=true', 'PrunePropagationPolicy=foreground', 'RespectIgnoreDifferences=true', 'Validate=false']))).toEqual([]);
  });

  it('names an unknown app option and an unsupported value', () => {
    const problems = unsupportedAppSyncOptions(app(['Frobnicate=true', 'ServerSideApply=false', 'PrunePropagationPolicy=sideways']));
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^Frobnicate is not a sync option Capstan supports/);
    expect(problems[1]).toMatch(/^ServerSideApply=false is not supported \(accepted: true\)/);
    expect(problems[2]).toMatch(/^PrunePropagationPolicy=sideways is not supported/);
  });

  it('names unknown resource sync and compare options', () => {
    expect(unsupportedResourceOptions(withAnnotations({ 'capstan.dev/sync-options': 'Prune=false,Delete=confirm,Replace=true,Force=true,Validate=false' }))).toEqual([]);
    expect(unsupportedResourceOptions(withAnnotations({ 'argocd.argoproj.io/sync-options': 'Frobnicate=true', 'capstan.dev/compare-options': 'IgnoreExtraneous,Loose=true' })))
      .toEqual([
        expect.stringMatching(/^Frobnicate is not a sync option Capstan supports/),
        expect.stringMatching(/^Loose is not a compare option Capstan supports/),
      ]);
  });

  it('reads IgnoreExtraneous', () => {
    expect(ignoresExtraneous(withAnnotations({ 'argocd.argoproj.io/compare-options': 'IgnoreExtraneous' }))).toBe(true);
    expect(ignoresExtraneous(withAnnotations({}))).toBe(false);
  });
});

describe('syncWave', () => {
  it.each<[string, Record<string, string>, number]>([
    ['absent', {}, 0],
    ['positive', { 'capstan.dev/sync-wave': '5' }, 5],
    ['negative', { 'capstan.dev/sync-wave': '-3' }, -3],
    ['explicit plus', { 'capstan.dev/sync-wave': '+2' }, 2],
    ['surrounding spaces', { 'capstan.dev/sync-wave': ' 4 ' }, 4],
    ['Argo CD spelling', { 'argocd.argoproj.io/sync-wave': '-1' }, -1],
    ['Capstan spelling wins', { 'capstan.dev/sync-wave': '2', 'argocd.argoproj.io/sync-wave': '9' }, 2],
    ['not a number', { 'capstan.dev/sync-wave': 'first' }, 0],
    ['a fraction', { 'capstan.dev/sync-wave': '1.5' }, 0],
    ['a number with trailing text', { 'capstan.dev/sync-wave': '3x' }, 0],
    ['empty', { 'capstan.dev/sync-wave': '' }, 0],
    ['beyond safe integers', { 'capstan.dev/sync-wave': '99999999999999999999' }, 0],
  ])('%s → %d', (_case, annotations, expected) => {
    expect(syncWave(withAnnotations(annotations))).toBe(expected);
  });
});

describe('hookTypes', () => {
  it.each<[string, Record<string, string>, string[]]>([
    ['no annotation', {}, []],
    ['one hook', { 'capstan.dev/hook': 'PreSync' }, ['PreSync']],
    ['Argo CD spelling', { 'argocd.argoproj.io/hook': 'PostSync' }, ['PostSync']],
    ['several, with spaces', { 'capstan.dev/hook': 'PreSync, PostSync' }, ['PreSync', 'PostSync']],
    ['duplicates once', { 'capstan.dev/hook': 'Sync,Sync' }, ['Sync']],
    ['unknown names dropped', { 'capstan.dev/hook': 'PreSync,Later,presync' }, ['PreSync']],
    ['Skip and SyncFail', { 'capstan.dev/hook': 'SyncFail,Skip' }, ['SyncFail', 'Skip']],
    ['empty', { 'capstan.dev/hook': '' }, []],
  ])('%s', (_case, annotations, expected) => {
    expect(hookTypes(withAnnotations(annotations))).toEqual(expected);
  });
});
