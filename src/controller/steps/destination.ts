import { ok } from '../../api/result.js';
import type { Step } from '../context.js';

/**
 * Finds the app's destination cluster and the identity its objects are written with. An unknown
 * cluster, or one whose credentials cannot be used, fails the app before anything is read or applied.
 */
export const findDestination: Step = {
  name: 'destination',
  run: async (ctx) => {
    const found = await ctx.deps.destinations.resolve(ctx.app);
    if (!found.ok) return found;
    ctx.target = found.value;
    return ok(undefined);
  },
};
