import { printParseErrorCode, visit } from 'jsonc-parser';
import { quote } from './quote.js';
import type { RenderError } from './types.js';

export interface JsonDocuments {
  /** The documents in file order: the value, or each element of a top-level array. */
  values: unknown[];
  errors: RenderError[];
}

/**
 * Reads a JSON manifest file. A key written twice in one object is refused (JSON.parse would
 * silently keep the last, so what a reviewer reads is not what is applied), and a syntax error
 * is told by its line and kind only: the text around it is not repeated.
 */
export function readJsonDocuments(text: string, file: string): JsonDocuments {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (source.trim() === '') return { values: [], errors: [] };
  const scan = scanJson(source);
  if (scan.duplicate !== undefined) {
    const { name, offset } = scan.duplicate;
    return failed({ code: 'ParseError', file, line: lineAt(source, offset), message: `duplicated key ${quote(name)} in one object` });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (err) {
    return failed(syntaxError(err, scan.error, source, file));
  }
  // A JSON file holds one object, or an array whose elements are the documents.
  return { values: Array.isArray(parsed) ? parsed : [parsed], errors: [] };
}

function failed(error: RenderError): JsonDocuments {
  return { values: [], errors: [error] };
}

interface JsonScan {
  /** The first key written twice in one object. */
  duplicate?: { name: string; offset: number };
  /** The first syntax error. */
  error?: { reason: string; offset: number };
}

/** One pass over the text: duplicate keys and the first syntax error, with their offsets. */
function scanJson(text: string): JsonScan {
  const scan: JsonScan = {};
  const open: Array<Set<string>> = [];
  visit(text, {
    onObjectBegin: () => {
      open.push(new Set());
    },
    onObjectEnd: () => {
      open.pop();
    },
    onObjectProperty: (name, offset) => {
      const keys = open.at(-1);
      if (keys === undefined || scan.duplicate !== undefined) return;
      if (keys.has(name)) scan.duplicate = { name, offset };
      else keys.add(name);
    },
    onError: (code, offset) => {
      scan.error ??= { reason: words(printParseErrorCode(code)), offset };
    },
  }, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  return scan;
}

/** 'PropertyNameExpected' → 'property name expected'. */
function words(code: string): string {
  return code.replace(/(?<=[a-z])(?=[A-Z])/g, ' ').toLowerCase();
}

function syntaxError(err: unknown, found: JsonScan['error'], source: string, file: string): RenderError {
  if (found !== undefined) return { code: 'ParseError', file, line: lineAt(source, found.offset), message: `not valid JSON: ${found.reason}` };
  // JSON.parse quotes the text around the error; only its position is kept.
  const position = /at position (\d+)/.exec(err instanceof Error ? err.message : '')?.[1];
  if (position === undefined) return { code: 'ParseError', file, message: 'not valid JSON' };
  return { code: 'ParseError', file, line: lineAt(source, Number(position)), message: 'not valid JSON' };
}

/** 1-based line of a character offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
