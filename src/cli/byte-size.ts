import { InvalidArgumentError } from 'commander';

const units: Readonly<Record<string, number>> = { '': 1, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, k: 1000, M: 1000 ** 2, G: 1000 ** 3 };

/** A size such as `10Mi`, `512Ki`, `5M` or `1048576` (bytes), as Kubernetes writes quantities; undefined when it is not one. */
export function parseByteSize(text: string): number | undefined {
  const match = /^([0-9]+)(Ki|Mi|Gi|k|M|G)?$/.exec(text.trim());
  if (match === null) return undefined;
  const bytes = Number(match[1]) * (units[match[2] ?? ''] ?? 1);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** A positive size flag's value in bytes; throws a usage error naming the flag otherwise. */
export function byteSizeFlag(name: string, value: string): number {
  const bytes = parseByteSize(value);
  if (bytes === undefined || bytes <= 0) throw new Error(`--${name} "${value}" is not a size such as 10Mi, 512Ki or 1048576`);
  return bytes;
}

/** A commander argument parser for a positive size: a usage error when the value is not one. */
export function byteSizeArgument(value: string): number {
  const bytes = parseByteSize(value);
  if (bytes === undefined || bytes <= 0) throw new InvalidArgumentError('expected a size such as 10Mi, 512Ki or 1048576');
  return bytes;
}
