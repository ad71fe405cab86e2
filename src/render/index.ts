// The render folder's public API: a source tree in, the objects it declares out.
export { RenderCache, renderCacheKey, type RenderCacheOptions } from './cache.js';
export { renderDirectory, type RenderDirectoryOptions } from './directory.js';
export { parseManifests, type ManifestFormat, type ParseOptions, type ParseResult } from './parse.js';
export {
  DEFAULT_RENDER_LIMITS,
  type DirectoryOptions,
  type RenderError,
  type RenderErrorCode,
  type RenderLimits,
  type RenderResult,
} from './types.js';
