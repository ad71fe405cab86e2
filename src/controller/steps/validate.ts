import { reasons } from '../../api/conditions.js';
import { fail } from '../../api/result.js';
import { validateSpec } from '../../api/validate.js';
import { jqPathExpressionProblems } from '../../diff/jq/spec-problems.js';
import { sharedJqPathSelector } from '../../diff/jq/shared.js';
import type { Step } from '../context.js';

const shownProblems = 5;

/**
 * Refuses a spec that uses what Capstan does not implement, or jq path expressions that do not
 * compile (compiled in jq's worker, never run here); nothing else runs for it.
 */
export const validate: Step = {
  name: 'validate',
  run: async (ctx) => {
    // What the app's own format (an Argo CD Application) says that Capstan does not carry out.
    const unsupported = ctx.deps.apps.unsupported?.(ctx.app) ?? [];
    if (unsupported.length > 0) {
      const shown = unsupported.slice(0, shownProblems).map((u) => `${u.path}: ${u.reason}`).join('; ');
      const more = unsupported.length > shownProblems ? `; and ${unsupported.length - shownProblems} more` : '';
      return fail(reasons.invalidSpec, `${shown}${more}; nothing was applied`);
    }
    const result = validateSpec(ctx.app);
    if (!result.ok) return result;
    const problems = await jqPathExpressionProblems(ctx.app.spec.ignoreDifferences, sharedJqPathSelector());
    if (problems.length === 0) return result;
    const more = problems.length > shownProblems ? `; and ${problems.length - shownProblems} more` : '';
    return fail(reasons.invalidSpec, `${problems.slice(0, shownProblems).join('; ')}${more}; nothing was applied`);
  },
};
