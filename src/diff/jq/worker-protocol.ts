// What JqRunner sends its worker thread and gets back (inside the messages of worker/protocol.ts).

export interface JqJob {
  /** A jq program, run as `jq -c PROGRAM` on `input`. */
  readonly program: string;
  /** The JSON text jq reads (one value). */
  readonly input: string;
}

export function isJqJob(value: unknown): value is JqJob {
  return typeof value === 'object' && value !== null && 'program' in value && typeof value.program === 'string' && 'input' in value && typeof value.input === 'string';
}

/** What the program wrote, parsed: one element per output. */
export function isJqOutputs(value: unknown): value is unknown[] {
  return Array.isArray(value);
}
