import { InvalidArgumentError, Option } from 'commander';
import { dump } from 'js-yaml';
import { jsonTerminalSafe } from './terminal-safe.js';

/** How a command prints what it found: a table for people, JSON or YAML for scripts, `wide` for a table with more columns. */
export const outputFormats = ['table', 'json', 'yaml', 'wide'] as const;
export type OutputFormat = (typeof outputFormats)[number];

export type StructuredFormat = 'json' | 'yaml';

/** Output formats that print data rather than a table. */
export function isStructured(format: OutputFormat): format is StructuredFormat {
  return format === 'json' || format === 'yaml';
}

/** A value given to `-o` that the command does not offer. */
export class OutputFormatError extends Error {
  readonly code = 'InvalidOutputFormat';

  constructor(
    readonly value: string,
    readonly allowed: readonly OutputFormat[],
  ) {
    super(`unknown output format "${value}": use one of ${allowed.join(', ')}`);
    this.name = 'OutputFormatError';
  }
}

/** `value` as one of `allowed`; undefined or '' means the first allowed format. Throws OutputFormatError otherwise. */
export function parseOutputFormat(value: string | undefined, allowed: readonly OutputFormat[]): OutputFormat {
  const first = allowed[0];
  if (first === undefined) throw new Error('parseOutputFormat needs at least one allowed format');
  if (value === undefined || value === '') return first;
  const found = allowed.find((format) => format === value);
  if (found === undefined) throw new OutputFormatError(value, allowed);
  return found;
}

/**
 * The `-o, --output <format>` option of a command, parsed and checked by commander: a wrong value is a usage error
 * naming the allowed formats. The default is the first allowed format.
 */
export function outputOption(allowed: readonly OutputFormat[]): Option {
  return new Option('-o, --output <format>', `output format: ${allowed.join(', ')}`)
    .default(parseOutputFormat(undefined, allowed))
    .argParser((value: string) => {
      try {
        return parseOutputFormat(value, allowed);
      } catch (err) {
        throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
      }
    });
}

/**
 * `value` as YAML the way kubectl prints it: no anchors, no folded lines, keys in the order given.
 * js-yaml writes control characters (C0, DEL, C1) as escapes in double-quoted scalars.
 */
export function toYaml(value: unknown): string {
  return dump(value, { noRefs: true, lineWidth: -1 });
}

/** Several values as one multi-document YAML stream (`---` between documents); '' for none. */
export function toYamlDocuments(values: readonly unknown[]): string {
  return values.map((value) => toYaml(value)).join('---\n');
}

/** `value` as pretty JSON (2 spaces) followed by a newline, with no character a terminal would act on. */
export function toJson(value: unknown): string {
  return `${jsonTerminalSafe(JSON.stringify(value, null, 2))}\n`;
}

/** Writes `value` to `out` as JSON or YAML. */
export function printStructured(value: unknown, format: StructuredFormat, out: NodeJS.WritableStream): void {
  out.write(format === 'json' ? toJson(value) : toYaml(value));
}

/** `file:line: message`, or `file: message` without a line: the form editors and terminals link to. */
export function locatedMessage(file: string, line: number | undefined, message: string): string {
  return line === undefined ? `${file}: ${message}` : `${file}:${line}: ${message}`;
}
