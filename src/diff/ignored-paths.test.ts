import { afterAll, describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../api/object.js';
import { diffObjects } from './compare.js';
import { ignoreRulesFor } from './ignore.js';
import { selectIgnoredPaths } from './ignored-paths.js';
import { JqPathSelector } from './jq/path-expressions.js';

const selector = new JqPathSelector();
afterAll(() => selector.close());

function deployment(initContainers: string[], extra: { replicas?: number; annotations?: Record<string, string> } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', ...(extra.annotations !== undefined ? { annotations: extra.annotations } : {}), managedFields: [{ manager: 'capstan', operation: 'Apply' }] },
    spec: {
      replicas: extra.replicas ?? 1,
      template: { spec: { initContainers: initContainers.map((name) => ({ name, image: `${name}:1` })), containers: [{ name: 'web', image: 'nginx' }] } },
    },
    status: { replicas: 1 },
  };
}

const key = { group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'web' };

describe('selectIgnoredPaths', () => {
  it('evaluates each expression on each side: a list element injected into the live object is selected there only', async () => {
    const rules = ignoreRulesFor(key, [{ group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec.template.spec.initContainers[] | select(.name == "injected")'] }]);
    const desired = deployment(['setup']);
    const live = deployment(['setup', 'injected']);
    const [selected] = await selectIgnoredPaths(selector, [{ rules, desired, live }]);
    expect(selected).toEqual({ desired: [], live: ['/spec/template/spec/initContainers/1'] });
    expect(diffObjects(desired, live).equal).toBe(false);
    expect(diffObjects(desired, live, { ignore: rules, ...(selected !== undefined ? { selected } : {}) })).toEqual({ equal: true, changes: [] });
  });

  it('combines pointers and expressions of several rules, and evaluates many pairs at once', async () => {
    const rules = ignoreRulesFor(key, [
      { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
      { group: '*', kind: 'Deployment', jqPathExpressions: ['.metadata.annotations."example.com/stamp"'] },
    ]);
    const pairs = Array.from({ length: 30 }, (_, i) => ({
      rules,
      desired: deployment([], { replicas: 1, annotations: { team: 'shop' } }),
      live: deployment([], { replicas: 2 + i, annotations: { team: 'shop', 'example.com/stamp': String(i) } }),
    }));
    const selected = await selectIgnoredPaths(selector, pairs);
    expect(selected).toEqual(pairs.map(() => ({ desired: ['/metadata/annotations/example.com~1stamp'], live: ['/metadata/annotations/example.com~1stamp'] })));
    pairs.forEach((pair, i) => {
      const s = selected[i];
      expect(diffObjects(pair.desired, pair.live, { ignore: rules, ...(s !== undefined ? { selected: s } : {}) }).equal).toBe(true);
    });
  });

  it('selects a field by its path whether the object has it or not, as a JSON pointer does', async () => {
    const rules = ignoreRulesFor(key, [{ group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec.paused'] }]);
    const [selected] = await selectIgnoredPaths(selector, [{ rules, desired: deployment([]), live: deployment([]) }]);
    expect(selected).toEqual({ desired: ['/spec/paused'], live: ['/spec/paused'] });
  });

  it('runs nothing for rules without expressions', async () => {
    const unused = new JqPathSelector();
    const rules = ignoreRulesFor(key, [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }]);
    expect(await selectIgnoredPaths(unused, [{ rules, desired: deployment([]), live: deployment([]) }])).toEqual([{ desired: [], live: [] }]);
    await unused.close();
  });
});
