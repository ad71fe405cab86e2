import { validateSpec } from '../../api/validate.js';
import type { Step } from '../context.js';

/** Refuses a spec that uses what Capstan does not implement; nothing else runs for it. */
export const validate: Step = {
  name: 'validate',
  run: (ctx) => Promise.resolve(validateSpec(ctx.app)),
};
