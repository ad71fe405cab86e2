/**
 * `capstan app sync --resource`: which objects a partial sync is limited to. Argo CD's syntax,
 * `GROUP:KIND:NAME` or `GROUP:KIND:NAMESPACE/NAME` (an empty GROUP is the core group, as in
 * `:ConfigMap:settings`), and `KIND/NAME` as a short form for the core group. Pure.
 */
import type { ResourceStatus, SelectedResource } from '../../api/application.js';

export const resourceArgSyntax = 'GROUP:KIND:[NAMESPACE/]NAME or KIND/NAME (core group)';

const groupPattern = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const kindPattern = /^[A-Za-z][A-Za-z0-9]*$/;
const namespacePattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// Object names are DNS subdomains for most kinds, but some kinds allow more (RBAC: `system:controller:x`).
const namePattern = /^[^\s/]+$/u;

export type ParsedResource = { readonly ok: true; readonly value: SelectedResource } | { readonly ok: false; readonly error: string };

function refused(value: string, why: string): ParsedResource {
  return { ok: false, error: `--resource "${value}": ${why} (expected ${resourceArgSyntax})` };
}

function checked(value: string, parts: { group: string; kind: string; namespace?: string; name: string }): ParsedResource {
  if (parts.group !== '' && !groupPattern.test(parts.group)) return refused(value, `"${parts.group}" is not an API group`);
  if (!kindPattern.test(parts.kind)) return refused(value, parts.kind === '' ? 'the kind is missing' : `"${parts.kind}" is not a kind`);
  if (parts.namespace !== undefined && !namespacePattern.test(parts.namespace)) return refused(value, `"${parts.namespace}" is not a namespace`);
  if (!namePattern.test(parts.name)) return refused(value, parts.name === '' ? 'the name is missing' : `"${parts.name}" is not an object name`);
  return { ok: true, value: { group: parts.group, kind: parts.kind, name: parts.name, ...(parts.namespace !== undefined ? { namespace: parts.namespace } : {}) } };
}

/** One `--resource` value. */
export function parseResourceArg(value: string): ParsedResource {
  if (value.startsWith('!')) return refused(value, 'excluding objects (!) is not supported; name the objects to sync');
  if (value.includes('*')) return refused(value, 'wildcards are not supported; name each object');
  const colon = value.indexOf(':');
  if (colon < 0) {
    const parts = value.split('/');
    if (parts.length !== 2) return refused(value, parts.length > 2 ? 'KIND/NAME takes no namespace; use :KIND:NAMESPACE/NAME' : 'no kind given');
    return checked(value, { group: '', kind: parts[0] ?? '', name: parts[1] ?? '' });
  }
  const second = value.indexOf(':', colon + 1);
  if (second < 0) return refused(value, 'GROUP:KIND:NAME needs three fields');
  const group = value.slice(0, colon);
  const kind = value.slice(colon + 1, second);
  const rest = value.slice(second + 1);
  const slash = rest.indexOf('/');
  if (slash < 0) return checked(value, { group, kind, name: rest });
  if (rest.indexOf('/', slash + 1) >= 0) return refused(value, 'more than one "/" in NAMESPACE/NAME');
  return checked(value, { group, kind, namespace: rest.slice(0, slash), name: rest.slice(slash + 1) });
}

/** Every `--resource` value, or every refusal. */
export function parseResourceArgs(values: readonly string[]): { ok: true; value: SelectedResource[] } | { ok: false; errors: string[] } {
  const parsed = values.map(parseResourceArg);
  const errors = parsed.flatMap((p) => (p.ok ? [] : [p.error]));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: parsed.flatMap((p) => (p.ok ? [p.value] : [])) };
}

/** `GROUP:KIND:[NAMESPACE/]NAME`, as Argo CD writes a selected resource. */
export function formatSelected(r: SelectedResource): string {
  return `${r.group}:${r.kind}:${r.namespace !== undefined ? `${r.namespace}/` : ''}${r.name}`;
}

/** Whether `resource` is one `selected` names (an omitted namespace matches any, as the controller selects). */
function matches(selected: SelectedResource, resource: Pick<ResourceStatus, 'group' | 'kind' | 'namespace' | 'name'>): boolean {
  return selected.group === resource.group && selected.kind === resource.kind && selected.name === resource.name
    && (selected.namespace === undefined || selected.namespace === resource.namespace);
}

/**
 * Why the selection names objects the app does not have, judged by its last comparison
 * (status.resources), or undefined when each names one. A resource of the same kind and name in
 * another group is suggested (`Deployment/web` is the core group; Deployments are `apps`).
 */
export function unknownSelection(selected: readonly SelectedResource[], resources: readonly ResourceStatus[]): string | undefined {
  const missing = selected.filter((s) => !resources.some((r) => matches(s, r)));
  if (missing.length === 0) return undefined;
  const described = missing.map((s) => {
    const other = resources.find((r) => r.kind === s.kind && r.name === s.name && (s.namespace === undefined || s.namespace === r.namespace));
    return other === undefined ? formatSelected(s) : `${formatSelected(s)} (did you mean ${formatSelected({ group: other.group, kind: other.kind, name: other.name })}?)`;
  });
  return `not among the app's resources: ${described.join(', ')}`;
}
