import { afterAll, describe, expect, it } from '@jest/globals';
import type { IgnoreDifference } from '../../api/application.js';
import { JqPathSelector } from './path-expressions.js';
import { jqPathExpressionProblems } from './spec-problems.js';

const selector = new JqPathSelector();
afterAll(() => selector.close());

describe('jqPathExpressionProblems', () => {
  it('has nothing to say about expressions that compile, or entries without any', async () => {
    const entries: IgnoreDifference[] = [
      { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
      { group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec.replicas', '.spec.template.spec.initContainers[] | select(.name == "injected")'] },
    ];
    expect(await jqPathExpressionProblems(entries, selector)).toEqual([]);
    expect(await jqPathExpressionProblems(undefined, selector)).toEqual([]);
  });

  it('names each expression that does not compile, is empty or is not a string, by its field', async () => {
    const entries = [
      { kind: 'ConfigMap', jqPathExpressions: ['.data', '.data | |'] },
      { kind: 'Secret', jqPathExpressions: [' ', 7] },
      { kind: 'Service', jqPathExpressions: '.spec' },
    ] as unknown as IgnoreDifference[];
    const problems = await jqPathExpressionProblems(entries, selector);
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/^spec\.ignoreDifferences\[0\]\.jqPathExpressions\[1\]: syntax error, unexpected '\|'/);
    expect(problems.slice(1)).toEqual([
      'spec.ignoreDifferences[1].jqPathExpressions[0] is empty',
      'spec.ignoreDifferences[1].jqPathExpressions[1] must be a string',
      'spec.ignoreDifferences[2].jqPathExpressions must be a list of jq path expressions',
    ]);
  });
});
