// What an object's apiVersion, kind, name and namespace may be. These become parts of API
// URLs (discovery asks /apis/<group>/<version>, objects live at .../namespaces/<ns>/<plural>/<name>),
// so anything that could change the path (`/`, `%`, `.` and `..`) is refused when the object is
// read from Git, before it reaches the API server. The patterns are the API server's own.

import { quote } from './quote.js';

/** `v1` or `<group>/<version>`: a DNS subdomain for the group, a Kubernetes version name. */
const API_VERSION = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?v[0-9]+[a-z0-9]*$/;
const MAX_GROUP_CHARS = 253;
/** A kind is a CamelCase name, as CRDs require (`spec.names.kind`). */
const KIND = /^[A-Za-z][A-Za-z0-9]{0,62}$/;
/** A namespace is a DNS label. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_LABEL_CHARS = 63;
/** Longest name of any kind (a DNS subdomain; path-segment names have the same bound). */
const MAX_NAME_CHARS = 253;
/** Characters no name of any kind may hold: C0 and C1 controls, DEL, and the bidi and other format controls. */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/;

export function apiVersionProblem(apiVersion: string): string | undefined {
  const slash = apiVersion.indexOf('/');
  if (API_VERSION.test(apiVersion) && slash <= MAX_GROUP_CHARS) return undefined;
  return `apiVersion ${quote(apiVersion)} is not a valid API version: expected v1 or <group>/<version>, such as apps/v1`;
}

export function kindProblem(kind: string): string | undefined {
  if (KIND.test(kind)) return undefined;
  return `kind ${quote(kind)} is not a valid kind: expected a letter, then up to 62 letters and digits`;
}

/**
 * The rules every kind's names share, whichever the API server applies on top: RBAC and a few
 * others allow any path segment (`system:node`), most kinds a DNS subdomain, which is narrower.
 */
export function nameProblem(name: string): string | undefined {
  const why = name === '.' || name === '..' ? 'it may not be "." or ".."'
    : name.includes('/') ? 'it may not contain "/"'
      : name.includes('%') ? 'it may not contain "%"'
        : name.length > MAX_NAME_CHARS ? `it is longer than ${MAX_NAME_CHARS} characters`
          : CONTROL.test(name) ? 'it may not contain control characters'
            : undefined;
  return why === undefined ? undefined : `metadata.name ${quote(name)} is not a valid name: ${why}`;
}

export function namespaceProblem(namespace: string): string | undefined {
  if (namespace.length <= MAX_LABEL_CHARS && DNS_LABEL.test(namespace)) return undefined;
  return `metadata.namespace ${quote(namespace)} is not a valid namespace: expected at most ${MAX_LABEL_CHARS} lower-case letters, digits and '-', starting and ending with a letter or digit`;
}
