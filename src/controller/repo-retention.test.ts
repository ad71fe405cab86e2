import { describe, expect, it } from '@jest/globals';
import type { Application } from '../api/application.js';
import { FakeRepoCache } from '../git/testing/fake-repo-cache.js';
import { RepoRetention } from './repo-retention.js';

const app = (name: string, repoURL: string): Application => ({
  apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name, namespace: 'capstan' },
  spec: { source: { repoURL }, destination: { namespace: name } },
});

describe('RepoRetention', () => {
  it('retains the apps\' repository URLs once listed, and again only when that set changes', () => {
    const repos = new FakeRepoCache();
    let apps = [app('a', 'https://host/a'), app('b', 'https://host/b'), app('c', 'https://host/a')];
    const retention = new RepoRetention(repos, () => apps);
    retention.update();
    expect(repos.retained).toBeUndefined(); // the first list is still arriving
    retention.start();
    expect(repos.retained).toEqual(['https://host/a', 'https://host/b']);
    repos.retained = undefined;
    apps = [...apps, app('d', 'https://host/b')];
    retention.update();
    expect(repos.retained).toBeUndefined();
    apps = apps.filter((a) => a.spec.source?.repoURL !== 'https://host/b');
    retention.update();
    expect(repos.retained).toEqual(['https://host/a']);
  });
});
