import { printParseErrorCode, visit } from 'jsonc-parser';
import { COLLECTION_COST, keyCost, scalarCost } from './cost.js';
import { quote } from './quote.js';
import type { RenderError } from './types.js';

export interface JsonDocuments {
  /** The documents in file order: the value, or each element of a top-level array. */
  values: unknown[];
  errors: RenderError[];
  /** The file alone takes more than the budget: nothing is left for the files after it. */
  budgetSpent?: boolean;
}

/**
 * Reads a JSON manifest file. A key written twice in one object is refused (JSON.parse would
 * silently keep the last, so what a reviewer reads is not what is applied), and a syntax error
 * is told by its line and kind only: the text around it is not repeated. What the values will
 * take is counted first (cost.ts): a file past `maxBytes` is refused before it is parsed.
 */
export function readJsonDocuments(text: string, file: string, maxBytes = Infinity): JsonDocuments {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (source.trim() === '') return { values: [], errors: [] };
  const scan = scanJson(source, maxBytes);
  if (scan.tooLarge) {
    return { values: [], errors: [{ code: 'TooLarge', file, message: `the file takes more than ${maxBytes} bytes once read` }], budgetSpent: true };
  }
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
  /** What the values take passed the budget; the scan stopped there. */
  tooLarge?: boolean;
  /** The first key written twice in one object. */
  duplicate?: { name: string; offset: number };
  /** The first syntax error. */
  error?: { reason: string; offset: number };
}

class BudgetPassed extends Error {}

/** One pass over the text: what its values take, duplicate keys and the first syntax error, with their offsets. */
function scanJson(text: string, maxBytes: number): JsonScan {
  const scan: JsonScan = {};
  const open: Array<Set<string>> = [];
  let bytes = 0;
  const charge = (cost: number): void => {
    bytes += cost;
    if (bytes > maxBytes) throw new BudgetPassed();
  };
  try {
    visit(text, {
      onObjectBegin: () => {
        charge(COLLECTION_COST);
        open.push(new Set());
      },
      onObjectEnd: () => {
        open.pop();
      },
      onArrayBegin: () => {
        charge(COLLECTION_COST);
      },
      onLiteralValue: (value: unknown) => {
        charge(typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? scalarCost(value) : scalarCost(null));
      },
      onObjectProperty: (name, offset) => {
        charge(keyCost(name));
        const keys = open.at(-1);
        if (keys === undefined || scan.duplicate !== undefined) return;
        if (keys.has(name)) scan.duplicate = { name, offset };
        else keys.add(name);
      },
      onError: (code, offset) => {
        scan.error ??= { reason: words(printParseErrorCode(code)), offset };
      },
    }, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch (err) {
    if (!(err instanceof BudgetPassed)) throw err;
    scan.tooLarge = true;
  }
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
