// Argo CD's resource tracking: how Argo CD marks the objects of an Application, so that Capstan
// recognises what Argo CD applied (to take it over) and marks what it applies the same way (so
// Argo CD recognises it again when a team goes back).
import { groupOf, type KubeObject, type ResourceKey } from '../api/object.js';
import type { AppKey } from '../api/tracking.js';

/**
 * How Argo CD tells which Application an object belongs to (argocd-cm
 * `application.resourceTrackingMethod`):
 * - `annotation`: the `argocd.argoproj.io/tracking-id` annotation. The default since Argo CD 3.0
 *   (an unset or empty value means this one).
 * - `label`: the instance label (`app.kubernetes.io/instance` unless `application.instanceLabelKey`
 *   names another), whose value is the app's instance name.
 * - `annotation+label`: tracked by the annotation; the label is also set, for other tools only.
 */
export type TrackingMethod = 'annotation' | 'label' | 'annotation+label';

export const trackingMethods: readonly TrackingMethod[] = ['annotation', 'label', 'annotation+label'];

export function isTrackingMethod(value: string): value is TrackingMethod {
  return (trackingMethods as readonly string[]).includes(value);
}

/** Argo CD 3's default tracking method. */
export const defaultTrackingMethod: TrackingMethod = 'annotation';

/** The annotation holding a tracking id, `<instance>:<group>/<kind>:<namespace>/<name>`. */
export const argoTrackingIdAnnotation = 'argocd.argoproj.io/tracking-id';

/** Set next to the tracking id when argocd-cm has `installationID`; an object is then only tracked by the installation it names. */
export const argoInstallationIdAnnotation = 'argocd.argoproj.io/installation-id';

/** The instance label when argocd-cm sets no `application.instanceLabelKey`. */
export const defaultInstanceLabelKey = 'app.kubernetes.io/instance';

/** Kubernetes' limit on a label value. */
export const labelValueMaxLength = 63;

/** What argocd-cm says about tracking. */
export interface TrackingSettings {
  readonly method: TrackingMethod;
  readonly instanceLabelKey: string;
  /** argocd-cm `installationID`; '' when unset. */
  readonly installationId: string;
}

/** The tracking settings plus the namespace Argo CD's control plane runs in (where argocd-cm is). */
export interface TrackingConfig extends TrackingSettings {
  readonly controlPlaneNamespace: string;
}

/** A parsed tracking id: the app's instance name and the object it names. */
export interface ArgoTrackingId {
  readonly instance: string;
  readonly key: ResourceKey;
}

/**
 * The name Argo CD tracks an app by: its name when the app is in the control-plane namespace (or
 * has none), `<namespace>_<name>` for an app in any other namespace ("apps in any namespace").
 * Neither a namespace nor an app name can hold `_`, so the two forms cannot be confused.
 */
export function instanceNameOf(app: AppKey, controlPlaneNamespace: string): string {
  return app.namespace === '' || app.namespace === controlPlaneNamespace ? app.name : `${app.namespace}_${app.name}`;
}

/**
 * The inverse of instanceNameOf: `<namespace>_<name>` (split at the first `_`), or a bare name for
 * an app in the control-plane namespace. Undefined when a part is empty.
 */
export function appOfInstanceName(instance: string, controlPlaneNamespace: string): AppKey | undefined {
  const underscore = instance.indexOf('_');
  const app = underscore < 0
    ? { namespace: controlPlaneNamespace, name: instance }
    : { namespace: instance.slice(0, underscore), name: instance.slice(underscore + 1) };
  return app.namespace === '' || app.name === '' ? undefined : app;
}

/** `<instance>:<group>/<kind>:<namespace>/<name>`; the core group is empty: `guestbook:/Service:default/web`. */
export function formatArgoTrackingId(id: ArgoTrackingId): string {
  const { group, kind, namespace, name } = id.key;
  return `${id.instance}:${group}/${kind}:${namespace}/${name}`;
}

/**
 * Reads a tracking id as Argo CD does: three parts split at the first two `:` (so an object name
 * may hold `:`, as `system:` ClusterRoles do), the second and third each exactly one `/`. Empty
 * group and namespace are normal (core group, cluster-scoped object with no destination
 * namespace). Undefined when the shape is wrong or the instance name is empty.
 */
export function parseArgoTrackingId(text: string): ArgoTrackingId | undefined {
  const first = text.indexOf(':');
  const second = first < 0 ? -1 : text.indexOf(':', first + 1);
  if (second < 0) return undefined;
  const instance = text.slice(0, first);
  const groupKind = text.slice(first + 1, second).split('/');
  const namespaceName = text.slice(second + 1).split('/');
  if (instance === '' || groupKind.length !== 2 || namespaceName.length !== 2) return undefined;
  const [group = '', kind = ''] = groupKind;
  const [namespace = '', name = ''] = namespaceName;
  return { instance, key: { group, kind, namespace, name } };
}

/**
 * The tracking id Argo CD gives an object of an app. The namespace part is the object's namespace;
 * an object without one (cluster-scoped) carries the app's destination namespace instead, which
 * is '' when the app has none.
 */
export function argoTrackingIdFor(object: KubeObject, app: AppKey, options: { controlPlaneNamespace: string; destinationNamespace: string }): string {
  const namespace = object.metadata.namespace ?? '';
  return formatArgoTrackingId({
    instance: instanceNameOf(app, options.controlPlaneNamespace),
    key: {
      group: groupOf(object.apiVersion),
      kind: object.kind,
      namespace: namespace === '' ? options.destinationNamespace : namespace,
      name: object.metadata.name ?? '',
    },
  });
}

/**
 * Argo CD's check that a tracking id names the object that carries it (so an annotation copied to
 * another object, as tools like HNC do, does not make that object the app's): group, kind and
 * name equal, and the namespace equal unless the object is cluster-scoped (whose id holds the
 * app's destination namespace).
 */
export function argoTrackingIdRefersTo(id: ArgoTrackingId, object: KubeObject): boolean {
  const namespace = object.metadata.namespace ?? '';
  return (namespace === '' || namespace === id.key.namespace) &&
    id.key.name === object.metadata.name &&
    id.key.group === groupOf(object.apiVersion) &&
    id.key.kind === object.kind;
}

/** What an object's tracking metadata says, under the configured method. */
export interface ArgoTrackingRead {
  /** The app it names. */
  readonly app: AppKey;
  readonly instance: string;
  /** The parsed annotation; undefined under label tracking. */
  readonly trackingId?: ArgoTrackingId;
  /**
   * False when the annotation names another object (a copy): Argo CD then shows the object with
   * the app but neither prunes it nor counts it in the app's sync status. Always true under label
   * tracking, which carries nothing to check.
   */
  readonly refersToObject: boolean;
}

/**
 * Reads an object's tracking as Argo CD does. Under `label`: the instance label's value (the
 * installation id is not looked at). Under `annotation` and `annotation+label`: the tracking-id
 * annotation alone (the label is informational), and, when an installation id is configured,
 * only if the object's installation-id annotation equals it. Undefined when nothing (valid)
 * names an app.
 */
export function readArgoTracking(object: KubeObject, config: TrackingConfig): ArgoTrackingRead | undefined {
  if (config.method === 'label') {
    const instance = object.metadata.labels?.[config.instanceLabelKey] ?? '';
    const app = appOfInstanceName(instance, config.controlPlaneNamespace);
    return app === undefined ? undefined : { app, instance, refersToObject: true };
  }
  const annotations = object.metadata.annotations ?? {};
  if (config.installationId !== '' && annotations[argoInstallationIdAnnotation] !== config.installationId) return undefined;
  const trackingId = parseArgoTrackingId(annotations[argoTrackingIdAnnotation] ?? '');
  if (trackingId === undefined) return undefined;
  const app = appOfInstanceName(trackingId.instance, config.controlPlaneNamespace);
  if (app === undefined) return undefined;
  return { app, instance: trackingId.instance, trackingId, refersToObject: argoTrackingIdRefersTo(trackingId, object) };
}

/**
 * The app an object belongs to under Argo CD's tracking, or undefined: what Argo CD would prune
 * with the app and count in its sync status. A tracking id that names another object does not
 * make its carrier owned, and neither do tracking labels or annotations on an object that has an
 * owner (a ReplicaSet or Pod inheriting a Deployment's template labels): see isArgoRoot. (An
 * object the app declares is the app's by its key, whatever its metadata says.)
 */
export function ownerOf(object: KubeObject, config: TrackingConfig): AppKey | undefined {
  if (!isArgoRoot(object)) return undefined;
  const read = readArgoTracking(object, config);
  return read?.refersToObject === true ? read.app : undefined;
}

/**
 * Whether Argo CD may count the object to an app at all: only objects without an owner are
 * (its cluster cache gives the others no app). An owner is an ownerReference, or one Argo CD
 * infers: the Service of an Endpoints object, the OperatorGroup of an OLM ClusterServiceVersion
 * with an `olm.operatorGroup` annotation, and the ServiceAccount of a service-account token Secret.
 */
export function isArgoRoot(object: KubeObject): boolean {
  const { ownerReferences, annotations = {} } = object.metadata;
  if (Array.isArray(ownerReferences) && ownerReferences.length > 0) return false;
  const group = groupOf(object.apiVersion);
  if (group === '' && object.kind === 'Endpoints') return false;
  if (group === 'operators.coreos.com' && object.kind === 'ClusterServiceVersion') return (annotations['olm.operatorGroup'] ?? '') === '';
  if (group === '' && object.kind === 'Secret' && object['type'] === 'kubernetes.io/service-account-token') {
    return (annotations['kubernetes.io/service-account.name'] ?? '') === '' || (annotations['kubernetes.io/service-account.uid'] ?? '') === '';
  }
  return true;
}

/**
 * Argo CD's shortening of the `annotation+label` label: cut to 63 characters, then drop trailing
 * characters until it ends in a letter or digit. Values within the limit are kept as they are.
 * Undefined when nothing is left.
 */
export function truncateLabelValue(value: string): string | undefined {
  if (value.length <= labelValueMaxLength) return value;
  let cut = value.slice(0, labelValueMaxLength);
  while (cut !== '' && !/[a-zA-Z0-9]$/.test(cut)) cut = cut.slice(0, -1);
  return cut === '' ? undefined : cut;
}

/** The tracking metadata Argo CD sets on an object it applies for an app. */
export interface ArgoTrackingMetadata {
  readonly annotations: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  /** Annotations the applied object must not carry (the installation id, when none is configured). */
  readonly removedAnnotations: readonly string[];
}

export type ArgoTrackingMetadataResult =
  | { readonly ok: true; readonly value: ArgoTrackingMetadata }
  | { readonly ok: false; readonly error: string };

export interface TrackingMetadataOptions extends TrackingConfig {
  /** The app's spec.destination.namespace ('' when it has none): the namespace part of a cluster-scoped object's id. */
  readonly destinationNamespace: string;
}

const untracked: ArgoTrackingMetadata = { annotations: {}, labels: {}, removedAnnotations: [] };

/** CustomResourceDefinitions, which Argo CD applies without tracking metadata. */
export function isCustomResourceDefinition(object: KubeObject): boolean {
  return groupOf(object.apiVersion) === 'apiextensions.k8s.io' && object.kind === 'CustomResourceDefinition';
}

/**
 * The annotations and labels Capstan sets on an object it applies for `app`, so that Argo CD
 * recognises the object as the app's (the way back from Capstan to Argo CD):
 * - `annotation`: the tracking id, plus the installation id when one is configured (and no
 *   installation id otherwise);
 * - `label`: the instance label holding the instance name, not shortened (Argo CD reads the
 *   label back as the app's name, so a shortened one would name another app); a name longer
 *   than 63 characters is an error, since the API server refuses such a label;
 * - `annotation+label`: the annotation's metadata, plus the label shortened as Argo CD does.
 * CustomResourceDefinitions get none, as in Argo CD. The object's namespace must be the one it
 * is applied in ('' when cluster-scoped).
 */
export function argoTrackingMetadata(object: KubeObject, app: AppKey, options: TrackingMetadataOptions): ArgoTrackingMetadataResult {
  if (isCustomResourceDefinition(object)) return { ok: true, value: untracked };
  const instance = instanceNameOf(app, options.controlPlaneNamespace);
  if (options.method === 'label') {
    if (instance.length > labelValueMaxLength) {
      return {
        ok: false,
        error: `the instance name ${instance} is longer than ${labelValueMaxLength} characters, too long for label ${options.instanceLabelKey} ` +
          `(label tracking does not shorten it); use annotation tracking`,
      };
    }
    return { ok: true, value: { annotations: {}, labels: { [options.instanceLabelKey]: instance }, removedAnnotations: [] } };
  }
  const annotations: Record<string, string> = { [argoTrackingIdAnnotation]: argoTrackingIdFor(object, app, options) };
  const removedAnnotations: string[] = [];
  if (options.installationId === '') removedAnnotations.push(argoInstallationIdAnnotation);
  else annotations[argoInstallationIdAnnotation] = options.installationId;
  if (options.method === 'annotation') return { ok: true, value: { annotations, labels: {}, removedAnnotations } };
  const label = truncateLabelValue(instance);
  if (label === undefined) return { ok: false, error: `the instance name ${instance} cannot be shortened to a valid label value` };
  return { ok: true, value: { annotations, labels: { [options.instanceLabelKey]: label }, removedAnnotations } };
}

export type WithArgoTrackingResult = { readonly ok: true; readonly value: KubeObject } | { readonly ok: false; readonly error: string };

/** A copy of `object` carrying argoTrackingMetadata (the input is not changed). */
export function withArgoTracking(object: KubeObject, app: AppKey, options: TrackingMetadataOptions): WithArgoTrackingResult {
  const metadata = argoTrackingMetadata(object, app, options);
  if (!metadata.ok) return metadata;
  const { annotations, labels, removedAnnotations } = metadata.value;
  const nextAnnotations = Object.fromEntries(Object.entries({ ...object.metadata.annotations, ...annotations })
    .filter(([key]) => !removedAnnotations.includes(key)));
  const nextLabels: Record<string, string> = { ...object.metadata.labels, ...labels };
  const nextMetadata = { ...object.metadata };
  if (Object.keys(nextAnnotations).length > 0) nextMetadata.annotations = nextAnnotations;
  else delete nextMetadata.annotations;
  if (Object.keys(nextLabels).length > 0) nextMetadata.labels = nextLabels;
  else delete nextMetadata.labels;
  return { ok: true, value: { ...object, metadata: nextMetadata } };
}
