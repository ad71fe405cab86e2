import { formatResourceKey, resourceKeyOf, type KubeObject } from '../api/object.js';
import type { RenderError } from './types.js';

export interface ObjectFromFile {
  readonly object: KubeObject;
  /** The file that declares it, relative to the repository root. */
  readonly file: string;
}

/** One DuplicateObject error for every declaration of an object (group, kind, namespace, name) after its first. */
export function duplicateObjectErrors(declared: readonly ObjectFromFile[]): RenderError[] {
  const firstFile = new Map<string, string>();
  const errors: RenderError[] = [];
  for (const { object, file } of declared) {
    const key = formatResourceKey(resourceKeyOf(object));
    const first = firstFile.get(key);
    if (first === undefined) {
      firstFile.set(key, file);
      continue;
    }
    const where = first === file ? `twice in ${file}` : `in both ${first} and ${file}`;
    errors.push({ code: 'DuplicateObject', file, message: `${describeObject(object)} is declared ${where}` });
  }
  return errors;
}

function describeObject(object: KubeObject): string {
  const namespace = object.metadata.namespace;
  const inNamespace = namespace === undefined || namespace === '' ? '' : ` in namespace ${namespace}`;
  return `${object.apiVersion} ${object.kind} ${object.metadata.name ?? ''}${inNamespace}`;
}
