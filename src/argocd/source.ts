/**
 * One Argo CD ApplicationSource → Capstan's ApplicationSource. Pure. Fields with the same meaning
 * are copied as they are; a field left at Go's zero value (Argo CD's `omitempty`) is dropped; a
 * field Capstan does not carry out is named in `unsupported`. An options block that is present
 * stays present even when empty (`plugin: {}` asks for plugin discovery, `directory: {}` names the type).
 */
import type {
  ApplicationSource, DirectorySource, HelmSource, JsonnetOptions, KustomizeSource,
} from '../api/application.js';
import type { PluginSource } from '../api/plugin-source.js';
import type { ArgoApplicationSource, ArgoSourceDirectory, ArgoSourceHelm, ArgoSourceKustomize, ArgoSourcePlugin } from './types.js';
import { isSet, type UnsupportedFields } from './unsupported.js';

/** The entries of `from` whose values are set (not Go's zero value). */
export function setEntries<T extends object>(from: T): Partial<T> {
  return Object.fromEntries(Object.entries(from).filter(([, v]) => isSet(v))) as Partial<T>;
}

function directoryOf(d: ArgoSourceDirectory, at: string, unsupported: UnsupportedFields): DirectorySource {
  unsupported.ifSet(d.disableExtensionFilter, `${at}.disableExtensionFilter`, 'reading files of every extension is not supported (Capstan reads .yaml, .yml, .json and .jsonnet files)');
  const jsonnet: JsonnetOptions = setEntries({ extVars: d.jsonnet?.extVars, tlas: d.jsonnet?.tlas, libs: d.jsonnet?.libs });
  return setEntries({ recurse: d.recurse, include: d.include, exclude: d.exclude, jsonnet: isSet(jsonnet) ? jsonnet : undefined });
}

function kustomizeOf(k: ArgoSourceKustomize, at: string, unsupported: UnsupportedFields): KustomizeSource {
  unsupported.ifSet(k.version, `${at}.version`, 'choosing a kustomize version is not supported (Capstan runs its one kustomize)');
  unsupported.ifSet(k.commonAnnotationsEnvsubst, `${at}.commonAnnotationsEnvsubst`, 'environment substitution in commonAnnotations is not supported');
  unsupported.ifSet(k.labelIncludeTemplates, `${at}.labelIncludeTemplates`, 'labels on pod templates only (labelIncludeTemplates) is not supported');
  unsupported.ifSet(k.kubeVersion, `${at}.kubeVersion`, 'the Kubernetes version of Helm charts inflated by kustomize is not supported');
  unsupported.ifSet(k.apiVersions, `${at}.apiVersions`, 'the API versions of Helm charts inflated by kustomize is not supported');
  return setEntries({
    namePrefix: k.namePrefix, nameSuffix: k.nameSuffix, images: k.images, commonLabels: k.commonLabels, commonAnnotations: k.commonAnnotations,
    forceCommonLabels: k.forceCommonLabels, forceCommonAnnotations: k.forceCommonAnnotations, labelWithoutSelector: k.labelWithoutSelector,
    namespace: k.namespace, replicas: k.replicas, patches: k.patches, components: k.components, ignoreMissingComponents: k.ignoreMissingComponents,
  });
}

function helmOf(h: ArgoSourceHelm, at: string, unsupported: UnsupportedFields): HelmSource {
  unsupported.ifSet(h.version, `${at}.version`, 'choosing a Helm version is not supported (Capstan runs its one helm)');
  unsupported.ifSet(h.passCredentials, `${at}.passCredentials`, 'passing repository credentials to other hosts is not supported');
  const parameters = h.parameters?.map((p) => ({ name: p.name ?? '', value: p.value ?? '', ...(p.forceString === true ? { forceString: true } : {}) }));
  const fileParameters = h.fileParameters?.map((p) => ({ name: p.name ?? '', path: p.path ?? '' }));
  return setEntries({
    releaseName: h.releaseName, valueFiles: h.valueFiles, ignoreMissingValueFiles: h.ignoreMissingValueFiles, values: h.values,
    valuesObject: h.valuesObject, parameters, fileParameters, namespace: h.namespace, skipCrds: h.skipCrds, skipTests: h.skipTests,
    skipSchemaValidation: h.skipSchemaValidation, kubeVersion: h.kubeVersion, apiVersions: h.apiVersions,
  });
}

function pluginOf(p: ArgoSourcePlugin): PluginSource {
  const parameters = p.parameters?.map((param) => ({ name: param.name ?? '', ...setEntries({ string: param.string, array: param.array, map: param.map }) }));
  return setEntries({ name: p.name, env: p.env, parameters });
}

export interface SourceContext {
  /** The source's path in the Argo CD object: `spec.source`, `spec.sources[2]`. */
  readonly at: string;
  /** An entry of spec.sources (where `ref` means something; Argo CD ignores it in spec.source). */
  readonly inSources: boolean;
}

/** An Argo CD source as Capstan's, naming each field Capstan does not carry out. */
export function toCapstanSource(source: ArgoApplicationSource, context: SourceContext, unsupported: UnsupportedFields): ApplicationSource {
  const { at } = context;
  unsupported.ifSet(source.name, `${at}.name`, 'named sources are not supported');
  unsupported.ifSet(source.tagPrefix, `${at}.tagPrefix`, 'a tag prefix for semver revisions is not supported');
  return {
    repoURL: source.repoURL,
    ...setEntries({ targetRevision: source.targetRevision, path: source.path, chart: source.chart }),
    ...(context.inSources && isSet(source.ref) ? { ref: source.ref } : {}),
    ...(source.directory !== undefined ? { directory: directoryOf(source.directory, `${at}.directory`, unsupported) } : {}),
    ...(source.kustomize !== undefined ? { kustomize: kustomizeOf(source.kustomize, `${at}.kustomize`, unsupported) } : {}),
    ...(source.helm !== undefined ? { helm: helmOf(source.helm, `${at}.helm`, unsupported) } : {}),
    ...(source.plugin !== undefined ? { plugin: pluginOf(source.plugin) } : {}),
  };
}
