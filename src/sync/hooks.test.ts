import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../api/object.js';
import { hookSpecOf, isHook } from './hooks.js';

const obj = (annotations: Record<string, string>): KubeObject => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', annotations } });
const spec = (annotations: Record<string, string>) => {
  const s = hookSpecOf(obj(annotations));
  return s === undefined ? undefined : { ...s, deletePolicies: [...s.deletePolicies] };
};

describe('hookSpecOf', () => {
  it('is undefined for an ordinary object and for Helm 2 crd-install', () => {
    expect(spec({})).toBeUndefined();
    expect(spec({ 'helm.sh/hook': 'crd-install' })).toBeUndefined();
    expect(isHook(obj({ 'argocd.argoproj.io/sync-wave': '1' }))).toBe(false);
  });

  it("reads Capstan's and Argo CD's hook, delete policy and wave", () => {
    expect(spec({ 'argocd.argoproj.io/hook': 'PreSync, PostSync', 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded,HookFailed', 'argocd.argoproj.io/sync-wave': '-2' }))
      .toEqual({ phases: ['PreSync', 'PostSync'], skip: false, postDelete: false, deletePolicies: ['HookSucceeded', 'HookFailed'], wave: -2, unknown: [] });
    expect(spec({ 'capstan.dev/hook': 'SyncFail', 'argocd.argoproj.io/hook': 'PreSync' })?.phases).toEqual(['SyncFail']);
    expect(spec({ 'capstan.dev/hook': 'Sync' })?.deletePolicies).toEqual(['BeforeHookCreation']);
    expect(spec({ 'capstan.dev/hook': 'Skip' })).toMatchObject({ skip: true, phases: [] });
    expect(spec({ 'capstan.dev/hook': 'PostDelete' })).toMatchObject({ postDelete: true, phases: [] });
  });

  it("maps Helm's hooks as Argo CD does, and Helm's annotations are not read when Argo CD's hook is set", () => {
    expect(spec({ 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-weight': '5', 'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded' }))
      .toEqual({ phases: ['PreSync'], skip: false, postDelete: false, deletePolicies: ['BeforeHookCreation', 'HookSucceeded'], wave: 5, unknown: [] });
    expect(spec({ 'helm.sh/hook': 'post-install' })?.phases).toEqual(['PostSync']);
    expect(spec({ 'helm.sh/hook': 'post-delete' })).toMatchObject({ postDelete: true, phases: [] });
    expect(spec({ 'helm.sh/hook': 'test' })).toMatchObject({ phases: [], notRun: 'helm.sh/hook test does not run in a sync' });
    expect(spec({ 'argocd.argoproj.io/hook': 'Sync', 'helm.sh/hook-weight': '7' })?.wave).toBe(0);
  });

  it('names values it does not know, so that prepare refuses them', () => {
    expect(spec({ 'argocd.argoproj.io/hook': 'PreSnc' })?.unknown).toEqual(['hook PreSnc']);
    expect(spec({ 'helm.sh/hook': 'pre-instal' })?.unknown).toEqual(['helm.sh/hook pre-instal']);
    expect(spec({ 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'Always' })?.unknown).toEqual(['hook-delete-policy Always']);
  });
});
