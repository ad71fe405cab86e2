import { InvalidArgumentError } from 'commander';
import { parseDuration } from '../../controller/backoff.js';

/** A `name=value` flag value; the value may hold '=' (only the first splits). */
export interface KeyValue {
  readonly name: string;
  readonly value: string;
}

/** `name=value` as a KeyValue; a usage error when there is no '=' or no name. */
export function parseKeyValue(text: string): KeyValue {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected NAME=VALUE, not "${text}"`);
  return { name: text.slice(0, eq), value: text.slice(eq + 1) };
}

/** A commander parser of a repeatable `name=value` flag: each use adds one. */
export function collectKeyValue(value: string, previous: readonly KeyValue[] = []): KeyValue[] {
  return [...previous, parseKeyValue(value)];
}

/** A commander parser of a repeatable flag: each use adds one value. */
export function collect(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value];
}

/** A positive duration such as 90s or 2m, in milliseconds; a usage error otherwise. */
export function durationArgument(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) throw new InvalidArgumentError('expected a duration such as 90s or 3m');
  return ms;
}
