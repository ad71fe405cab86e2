/** A field of an Argo CD object that Capstan does not carry out: where it is and why it is not taken. */
export interface Unsupported {
  /** The field's path in the Argo CD object: `spec.sources[1].name`. */
  readonly path: string;
  readonly reason: string;
}

/** Collects unsupported fields while an object is converted. */
export class UnsupportedFields {
  readonly list: Unsupported[] = [];

  add(path: string, reason: string): void {
    this.list.push({ path, reason });
  }

  /** Records `path` when `value` is set to something other than its neutral value (absent, '', false, an empty list or map). */
  ifSet(value: unknown, path: string, reason: string): void {
    if (isSet(value)) this.add(path, reason);
  }
}

/** Whether a value differs from Go's zero value, which Argo CD's `omitempty` leaves out. */
export function isSet(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === false || value === 0) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}
