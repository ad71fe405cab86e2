import { JqPathSelector } from './path-expressions.js';

let shared: JqPathSelector | undefined;

/**
 * The selector all reconciles of this process share: one worker thread (started on first use,
 * stopped when idle) and one cache, whatever the number of apps.
 */
export function sharedJqPathSelector(): JqPathSelector {
  shared ??= new JqPathSelector();
  return shared;
}
