import type { IgnoreDifference } from '../../api/application.js';
import type { JqPathSelector } from './path-expressions.js';

/**
 * What is wrong with the jqPathExpressions of spec.ignoreDifferences, one problem per
 * expression that is not a string, is empty or does not compile, each naming its field
 * (`spec.ignoreDifferences[0].jqPathExpressions[1]: syntax error, …`). Nothing is evaluated.
 */
export async function jqPathExpressionProblems(ignoreDifferences: readonly IgnoreDifference[] | undefined, selector: JqPathSelector): Promise<string[]> {
  const problems: string[] = [];
  for (const [i, entry] of (ignoreDifferences ?? []).entries()) {
    const list: unknown = entry.jqPathExpressions;
    const at = `spec.ignoreDifferences[${i}].jqPathExpressions`;
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      problems.push(`${at} must be a list of jq path expressions`);
      continue;
    }
    for (const [j, expression] of (list as unknown[]).entries()) {
      if (typeof expression !== 'string') problems.push(`${at}[${j}] must be a string`);
      else if (expression.trim() === '') problems.push(`${at}[${j}] is empty`);
      else {
        const problem = await selector.check(expression);
        if (problem !== undefined) problems.push(`${at}[${j}]: ${problem}`);
      }
    }
  }
  return problems;
}
