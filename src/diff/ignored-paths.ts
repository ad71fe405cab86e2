import type { KubeObject } from '../api/object.js';
import type { IgnoreRule } from './ignore.js';
import type { JqPathSelector } from './jq/path-expressions.js';
import { normalizeForCompare, normalizeSecret } from './normalize.js';

/** JSON pointers selected in each side of one comparison: the desired (or predicted) object and the live one. */
export interface SelectedPaths {
  readonly desired: readonly string[];
  readonly live: readonly string[];
}

/** One object to compare: the rules that apply to it, and both sides. */
export interface IgnoredPair {
  readonly rules: readonly IgnoreRule[];
  readonly desired: KubeObject;
  readonly live: KubeObject;
}

export const nothingSelected: SelectedPaths = { desired: [], live: [] };

const noPause = (): Promise<void> => Promise.resolve();

/**
 * What the rules' jq expressions select in each side of each pair. Each side is evaluated as
 * diffObjects compares it (normalised: no status, managedFields or server-set metadata), so
 * Argo CD's expressions select the same fields; the paths are the same in the raw object.
 * Pairs are evaluated together, one jq run per expression (JqPathSelector batches and caches);
 * a pair whose rules have no expressions costs nothing. Throws JqExpressionError (naming the
 * field) when an expression runs too long or exhausts jq's memory. `pause` is awaited before
 * each object is normalised and serialised, so that thousands of objects take turns with other work.
 */
export async function selectIgnoredPaths(selector: JqPathSelector, pairs: readonly IgnoredPair[], pause: () => Promise<void> = noPause): Promise<SelectedPaths[]> {
  const selected = pairs.map(() => ({ desired: [] as string[], live: [] as string[] }));
  const normalized = new Map<KubeObject, KubeObject>();
  const comparable = (obj: KubeObject): KubeObject => {
    let n = normalized.get(obj);
    if (n === undefined) {
      n = normalizeForCompare(normalizeSecret(obj));
      normalized.set(obj, n);
    }
    return n;
  };
  // Every (expression, side) to evaluate, grouped by expression so that each runs once.
  const byExpression = new Map<string, { expression: string; field: string; targets: { into: string[]; object: KubeObject }[] }>();
  pairs.forEach((pair, index) => {
    const into = selected[index];
    if (into === undefined) return;
    for (const { expression, field } of pair.rules.flatMap((rule) => rule.expressions ?? [])) {
      const key = `${field}\n${expression}`;
      const group = byExpression.get(key) ?? { expression, field, targets: [] };
      group.targets.push({ into: into.desired, object: pair.desired }, { into: into.live, object: pair.live });
      byExpression.set(key, group);
    }
  });
  for (const { expression, field, targets } of byExpression.values()) {
    const objects: KubeObject[] = [];
    for (const t of targets) {
      await pause();
      objects.push(comparable(t.object));
    }
    const results = await selector.select({ expression, field }, objects, pause);
    targets.forEach((t, i) => {
      for (const pointer of results[i] ?? []) if (!t.into.includes(pointer)) t.into.push(pointer);
    });
  }
  return selected;
}
