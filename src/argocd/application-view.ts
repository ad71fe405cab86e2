/**
 * An Argo CD Application seen as the Capstan Application the controller reconciles, and the
 * write of Capstan's status back in Argo CD's format. Pure.
 *
 * Argo CD's Application CRD has no status subresource, so every status write bumps
 * metadata.generation. The view's generation is therefore derived from the spec (a hash), and the
 * generation the controller last observed is kept in annotation `capstan.dev/observed-generation`,
 * written with the status: a status write is not a spec change, and a restart does not look like one.
 */

import { createHash } from 'node:crypto';
import type { Application, ApplicationStatus } from '../api/application.js';
import { toCapstanApplication, type ConvertedApplication } from './spec.js';
import { toArgoStatus } from './status.js';
import { argoApiVersion, argoApplicationKind, type ArgoApplication, type ArgoApplicationStatus } from './types.js';

export const observedGenerationAnnotation = 'capstan.dev/observed-generation';

/**
 * A stable stand-in for metadata.generation: changes when the spec or the operation field does
 * (as the generation of Capstan's own Application does), never by a status write.
 */
export function specGeneration(argo: ArgoApplication): number {
  const digest = createHash('sha256').update(canonicalJson({ spec: argo.spec, operation: argo.operation ?? null })).digest('hex');
  // 48 bits: a safe integer, positive, collisions out of reach.
  return Number.parseInt(digest.slice(0, 12), 16) + 1;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return value === undefined ? 'null' : JSON.stringify(value);
}

/** The Capstan Application the Argo CD one stands for (with what Capstan does not carry out). */
export function viewOf(argo: ArgoApplication): ConvertedApplication {
  const converted = toCapstanApplication(argo);
  const observed = Number(argo.metadata.annotations?.[observedGenerationAnnotation]);
  const status: ApplicationStatus | undefined = converted.app.status === undefined ? undefined
    : { ...converted.app.status, ...(Number.isSafeInteger(observed) && observed > 0 ? { observedGeneration: observed } : {}) };
  const app: Application = {
    ...converted.app,
    metadata: { ...converted.app.metadata, generation: specGeneration(argo) },
    ...(status === undefined ? {} : { status }),
  };
  return { app, unsupported: converted.unsupported };
}

/** The server-side apply body that writes Capstan's status onto the Argo CD Application in Argo CD's format. */
export function statusApplyBody(argo: ArgoApplication, status: ApplicationStatus, now: string): { apiVersion: string; kind: string; metadata: object; status: ArgoApplicationStatus } {
  return {
    apiVersion: argoApiVersion,
    kind: argoApplicationKind,
    metadata: {
      name: argo.metadata.name,
      namespace: argo.metadata.namespace,
      ...(status.observedGeneration === undefined ? {} : { annotations: { [observedGenerationAnnotation]: String(status.observedGeneration) } }),
    },
    status: toArgoStatus(status, argo.spec, { previous: argo.status, now }),
  };
}
