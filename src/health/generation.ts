import type { KubeObject } from '../api/object.js';
import { numberAt } from './fields.js';

/**
 * True once the object's controller has seen its latest spec (status.observedGeneration ≥
 * metadata.generation). A missing observedGeneration means no controller has written status yet.
 */
export function isGenerationObserved(obj: KubeObject): boolean {
  const observed = numberAt(obj, 'status', 'observedGeneration');
  if (observed === undefined) return false;
  return (numberAt(obj, 'metadata', 'generation') ?? 0) <= observed;
}

/**
 * True when status.observedGeneration is published and behind metadata.generation: for kinds
 * whose controllers may not publish it at all, absence says nothing.
 */
export function isGenerationBehind(obj: KubeObject, observedGeneration: number | undefined): boolean {
  const generation = numberAt(obj, 'metadata', 'generation');
  return generation !== undefined && observedGeneration !== undefined && observedGeneration < generation;
}
