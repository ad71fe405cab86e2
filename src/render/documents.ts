import { duplicateObjectErrors, type ObjectFromFile } from './duplicates.js';
import { jsonTexts } from './object-size.js';
import { parseManifests } from './parse.js';
import type { ToolDocument } from './tools/outputs.js';
import { MAX_RENDER_ERRORS, renderLimits, type RenderError, type RenderLimits } from './types.js';

export type ParsedDocuments = { ok: true; objects: string[]; files: string[] } | { ok: false; errors: RenderError[] };

/**
 * The objects of what render tools wrote, with the same bounds as manifest files: the text's
 * size, alias expansion, object count and size, and no object declared twice.
 */
export function parseToolDocuments(documents: readonly ToolDocument[], sourcePath: string, partial: Partial<RenderLimits> = {}, alongside: readonly ObjectFromFile[] = []): ParsedDocuments {
  const limits = renderLimits(partial);
  const total = documents.reduce((sum, d) => sum + Buffer.byteLength(d.text), 0);
  if (total > limits.maxManifestBytes) {
    return { ok: false, errors: [{ code: 'TooLarge', file: sourcePath, message: `the rendered manifests add up to ${total} bytes, more than the limit of ${limits.maxManifestBytes}` }] };
  }
  // Objects read from manifest files beside the tool's output (already bounded), first, as they sort before it.
  const declared: ObjectFromFile[] = [...alongside];
  const errors: RenderError[] = [];
  let expanded = 0;
  for (const d of documents) {
    const parsed = parseManifests(d.text, d.file, d.format, { maxExpandedBytes: limits.maxExpandedBytes - expanded, maxObjects: limits.maxObjects - declared.length });
    if (!parsed.ok) {
      errors.push(...parsed.errors);
      if (parsed.budgetSpent === true || errors.length >= MAX_RENDER_ERRORS) break;
      continue;
    }
    expanded += parsed.bytes;
    declared.push(...parsed.objects.map((object) => ({ object, file: d.file })));
  }
  if (declared.length > limits.maxObjects) errors.push({ code: 'TooLarge', file: sourcePath, message: `the source declares more than the limit of ${limits.maxObjects} objects` });
  errors.push(...duplicateObjectErrors(declared));
  if (errors.length > 0) return { ok: false, errors: errors.slice(0, MAX_RENDER_ERRORS) };
  const texts = jsonTexts(declared, limits.maxObjectBytes);
  if (!texts.ok) return texts;
  return { ok: true, objects: texts.texts, files: [...new Set([...alongside.map((d) => d.file), ...documents.map((d) => d.file)])] };
}
