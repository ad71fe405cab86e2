import type { ObjectFromFile } from './duplicates.js';
import { boundedText } from './quote.js';
import { MAX_RENDER_ERRORS, type RenderError } from './types.js';

export type JsonTexts = { ok: true; texts: string[] } | { ok: false; errors: RenderError[] };

/**
 * Each object as its JSON text, or a TooLarge error for every object whose text is longer than
 * `maxBytes` (it could never be applied, and every step after the render handles it whole).
 */
export function jsonTexts(declared: readonly ObjectFromFile[], maxBytes: number): JsonTexts {
  const texts: string[] = [];
  const errors: RenderError[] = [];
  for (const { object, file } of declared) {
    const text = JSON.stringify(object);
    if (text.length <= maxBytes) {
      texts.push(text);
      continue;
    }
    const message = `${object.apiVersion} ${object.kind} ${boundedText(object.metadata.name ?? '')} is ${text.length} bytes as JSON, more than the ${maxBytes} the API server takes in one request`;
    errors.push({ code: 'TooLarge', file, message });
    if (errors.length >= MAX_RENDER_ERRORS) break;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, texts };
}
