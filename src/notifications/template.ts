/**
 * Templates with Go-template-like placeholders: `{{.app.metadata.name}}`, `{{ .context.dashboardUrl }}`,
 * `{{ .app.status.operationState.message | trunc 80 }}`. Nothing else of Go templates is read (no
 * actions, no functions but trunc): anything else between `{{` and `}}` is a problem of the key.
 * An unknown field renders empty. Values are inserted as text; how depends on where they go
 * (see RenderMode).
 */

import type { Result } from '../api/result.js';
import { characters, fieldAt, fieldText, parseFieldPath } from './fields.js';

type Part =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'field'; readonly path: readonly string[]; readonly trunc?: number; readonly inJsonString: boolean };

export interface CompiledTemplate {
  readonly source: string;
  readonly parts: readonly Part[];
}

/**
 * - text: the value as it is (messages, titles);
 * - json: the text is JSON: inside a JSON string the value is escaped, elsewhere it becomes a whole
 *   JSON string, so no value can end a string or add fields;
 * - url: the value is percent-encoded (a path).
 */
export type RenderMode = 'text' | 'json' | 'url';

const placeholder = /^\s*\.([A-Za-z0-9_.-]+)\s*(?:\|\s*trunc\s+([0-9]+)\s*)?$/;

/** The template, or what is wrong with it (one sentence). */
export function compileTemplate(source: string): Result<CompiledTemplate, string> {
  const parts: Part[] = [];
  const json = { inString: false, escaped: false };
  let at = 0;
  while (at < source.length) {
    const open = source.indexOf('{{', at);
    const text = source.slice(at, open < 0 ? source.length : open);
    if (text !== '') parts.push({ kind: 'text', text });
    scanJson(text, json);
    if (open < 0) break;
    const close = source.indexOf('}}', open + 2);
    if (close < 0) return { ok: false, error: `a {{ at offset ${open} is not closed by }}` };
    const inner = source.slice(open + 2, close);
    const match = placeholder.exec(inner);
    const path = match?.[1] === undefined ? undefined : parseFieldPath(match[1]);
    if (path === undefined) {
      return { ok: false, error: `{{${inner}}}: only {{ .path.to.field }} and {{ .path.to.field | trunc N }} are supported` };
    }
    const trunc = match?.[2] === undefined ? undefined : Number(match[2]);
    parts.push({ kind: 'field', path, inJsonString: json.inString, ...(trunc === undefined ? {} : { trunc }) });
    at = close + 2;
  }
  return { ok: true, value: { source, parts } };
}

/** The template with each placeholder replaced by the value of its field in data. */
export function renderTemplate(template: CompiledTemplate, data: unknown, mode: RenderMode = 'text'): string {
  let out = '';
  for (const part of template.parts) {
    if (part.kind === 'text') {
      out += part.text;
      continue;
    }
    let value = fieldText(fieldAt(data, part.path));
    if (part.trunc !== undefined) value = characters(value).slice(0, part.trunc).join('');
    if (mode === 'url') out += encodeURIComponent(value);
    else if (mode === 'json') out += part.inJsonString ? JSON.stringify(value).slice(1, -1) : JSON.stringify(value);
    else out += value;
  }
  return out;
}

/** Does the template render JSON (checked with every value empty)? */
export function rendersJson(template: CompiledTemplate): boolean {
  return jsonShape(template) !== undefined;
}

/** The JSON the template renders with every value empty, or undefined when it is not JSON. */
export function jsonShape(template: CompiledTemplate): unknown {
  try {
    return JSON.parse(renderTemplate(template, {}, 'json')) as unknown;
  } catch {
    return undefined;
  }
}

/** Follows the template's text as JSON to know whether a placeholder sits inside a JSON string. */
function scanJson(text: string, state: { inString: boolean; escaped: boolean }): void {
  for (const c of text) {
    if (state.escaped) state.escaped = false;
    else if (state.inString && c === '\\') state.escaped = true;
    else if (c === '"') state.inString = !state.inString;
  }
}
