import { AuthorizationV1Api, type KubeConfig } from '@kubernetes/client-node';

/** One question to the API server's authorizer: may the subject `verb` the resource? */
export interface AccessQuestion {
  readonly verb: string;
  /** API group; '' (the default) for the core group. */
  readonly group?: string;
  readonly resource: string;
  readonly subresource?: string;
  /** Omitted: across all namespaces (or a cluster-scoped resource). */
  readonly namespace?: string;
}

/** A question as one line, for test failure output: "patch applications.capstan.dev in ns". */
export function describeQuestion(q: AccessQuestion): string {
  const resource = `${q.resource}${q.subresource === undefined ? '' : `/${q.subresource}`}${q.group === undefined || q.group === '' ? '' : `.${q.group}`}`;
  return `${q.verb} ${resource}${q.namespace === undefined ? '' : ` in ${q.namespace}`}`;
}

/**
 * Asks a SubjectAccessReview whether ServiceAccount `namespace/name` may do `q`, with the groups
 * the API server gives its tokens (system:serviceaccounts, ...:<namespace>, system:authenticated),
 * so that rules bound to those groups count too.
 */
export async function serviceAccountMay(kc: KubeConfig, namespace: string, name: string, q: AccessQuestion): Promise<boolean> {
  const review = await kc.makeApiClient(AuthorizationV1Api).createSubjectAccessReview({
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user: `system:serviceaccount:${namespace}:${name}`,
        groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
        resourceAttributes: {
          verb: q.verb,
          group: q.group ?? '',
          resource: q.resource,
          ...(q.subresource === undefined ? {} : { subresource: q.subresource }),
          ...(q.namespace === undefined ? {} : { namespace: q.namespace }),
        },
      },
    },
  });
  return review.status?.allowed === true;
}

/** The questions of `questions` whose answer is not `expected`, described (empty when all match). */
export async function answersOtherThan(kc: KubeConfig, namespace: string, name: string, expected: boolean, questions: readonly AccessQuestion[]): Promise<string[]> {
  const answers = await Promise.all(questions.map((q) => serviceAccountMay(kc, namespace, name, q)));
  return questions.filter((_, i) => answers[i] !== expected).map(describeQuestion);
}
