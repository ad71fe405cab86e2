import { afterAll, describe, expect, it } from '@jest/globals';
import { JqExpressionError, JqPathSelector } from './path-expressions.js';
import { JqRunner } from './runner.js';

const selector = new JqPathSelector();
afterAll(() => selector.close());

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', annotations: { x: '1', 'example.com/a~b': '2' } },
  spec: {
    replicas: 2,
    template: { spec: { initContainers: [{ name: 'setup' }, { name: 'injected' }], containers: [{ name: 'web', image: 'nginx' }] } },
  },
};

const at = (expression: string) => ({ expression, field: 'spec.ignoreDifferences[0].jqPathExpressions[0]' });

describe('JqPathSelector.select', () => {
  it.each<[string, string[]]>([
    ['.spec.replicas', ['/spec/replicas']],
    ['.spec.template.spec.initContainers[] | select(.name == "injected")', ['/spec/template/spec/initContainers/1']],
    ['.metadata.annotations."x"', ['/metadata/annotations/x']],
    ['.metadata.annotations["example.com/a~b"]', ['/metadata/annotations/example.com~1a~0b']],
    ['.spec.template.spec.containers[].image', ['/spec/template/spec/containers/0/image']],
    ['.spec.template.spec.initContainers[-1]', ['/spec/template/spec/initContainers/1']],
    ['.spec.replicas, .spec.replicas', ['/spec/replicas']],
    ['.spec.paused', ['/spec/paused']],
  ])('%s selects %j', async (expression, pointers) => {
    expect(await selector.select(at(expression), [deployment])).toEqual([pointers]);
  });

  it('selects nothing in an object the expression fails on (as Argo CD skips it there), and goes on with the others', async () => {
    const withoutInit = { ...deployment, spec: { replicas: 1 } };
    const result = await selector.select(at('.spec.template.spec.initContainers[] | select(.name == "injected")'), [withoutInit, deployment]);
    expect(result).toEqual([[], ['/spec/template/spec/initContainers/1']]);
  });

  it('leaves out what names no single field: the whole object, a slice, a value that is not a path', async () => {
    expect(await selector.select(at('.'), [deployment])).toEqual([[]]);
    expect(await selector.select(at('.spec.template.spec.initContainers[0:1]'), [deployment])).toEqual([[]]);
    expect(await selector.select(at('.spec | to_entries'), [deployment])).toEqual([[]]);
  });

  it('answers for every object of a batch larger than one run takes', async () => {
    const small = new JqPathSelector(undefined, { batchBytes: 1_000 });
    try {
      const objects = Array.from({ length: 25 }, (_, i) => ({ ...deployment, metadata: { name: `web-${i}` } }));
      const result = await small.select(at('.spec.replicas'), objects);
      expect(result).toEqual(objects.map(() => ['/spec/replicas']));
    } finally {
      await small.close();
    }
  });

  it('stops an expression that runs past the time limit, naming its field, and evaluates the next one', async () => {
    const quick = new JqPathSelector(new JqRunner({ timeoutMs: 300 }));
    try {
      const looping = quick.select(at('def f: f; f'), [deployment]);
      await expect(looping).rejects.toThrow(JqExpressionError);
      await expect(looping).rejects.toThrow(/^spec\.ignoreDifferences\[0\]\.jqPathExpressions\[0\]: evaluating it took longer than 0\.3 s/);
      expect(await quick.select(at('.spec.replicas'), [deployment])).toEqual([['/spec/replicas']]);
    } finally {
      await quick.close();
    }
  });

  it('stops an expression that exhausts the memory jq may use, and evaluates the next one', async () => {
    const failed = await selector.select(at('[range(100000000)] | .spec'), [deployment]).catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(JqExpressionError);
    expect((failed as JqExpressionError).code).toMatch(/TooLarge|TimedOut/);
    expect(await selector.select(at('.spec.replicas'), [deployment])).toEqual([['/spec/replicas']]);
  });

  it('refuses an expression that stops jq before it answers (halt)', async () => {
    await expect(selector.select(at('halt'), [deployment])).rejects.toMatchObject({ code: 'Halted' });
  });
});

describe('JqPathSelector.check', () => {
  it('accepts expressions as Argo CD users write them', async () => {
    for (const expression of [
      '.spec.replicas',
      '.spec.template.spec.initContainers[] | select(.name == "injected")',
      '.metadata.annotations."x"',
      '.spec.containers[] | select(.name | startswith("istio")) # a comment',
      'def injected: .name == "x"; .spec.containers[] | select(injected)',
    ]) {
      expect(await selector.check(expression)).toBeUndefined();
    }
  });

  it.each<[string, RegExp]>([
    ['.foo |||', /^syntax error, unexpected '\|' \(line 1, column 7\)$/],
    ['.a | nosuchfunction', /^nosuchfunction\/0 is not defined \(line 1, column 6\)$/],
    ['.a |', /syntax error, unexpected '\)' at the end of the expression/],
    ['.a\n| $x', /^\$x is not defined \(line 2, column 3\)$/],
    ['include "x"; .', /^syntax error, unexpected include/],
  ])('refuses %j with jq\'s message, positioned in the expression', async (expression, message) => {
    expect(await selector.check(expression)).toMatch(message);
  });

  it('compiles without running: a looping expression passes the check', async () => {
    expect(await selector.check('def f: f; f')).toBeUndefined();
  });
});
