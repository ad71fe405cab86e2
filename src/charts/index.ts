// The charts folder's public API: Helm chart references resolved and their archives fetched.
export { ChartFetcher, chartFetcherDefaults, type ResolveOptions } from './fetcher.js';
export { isExactVersion, parseConstraint, pickVersion, type PickResult } from './version.js';
export {
  chartFailureCodes,
  type ChartFailure,
  type ChartFailureCode,
  type ChartFetched,
  type ChartFetcherOptions,
  type ChartLogger,
  type ChartRef,
  type ChartResolved,
  type ResolvedChart,
} from './types.js';
