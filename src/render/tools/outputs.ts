import type { ManifestFormat } from '../parse.js';
import type { RenderError } from '../types.js';

/** Manifest text a tool wrote, and what it is called in errors. */
export interface ToolDocument {
  readonly text: string;
  /** The source or file it was rendered from (repository-relative). */
  readonly file: string;
  readonly format: ManifestFormat;
}

/** What a tool render produced: manifest text to parse, or the errors that stopped it. */
export type ToolOutputs = { ok: true; outputs: ToolDocument[] } | { ok: false; errors: RenderError[] };
