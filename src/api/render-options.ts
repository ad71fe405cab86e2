import { isRecord } from './object.js';

type FieldType = 'string' | 'boolean' | 'strings' | 'stringMap' | 'object' | 'intOrString' | { readonly items: Readonly<Record<string, FieldType>>; readonly required: readonly string[] };

const kustomize: Readonly<Record<string, FieldType>> = {
  namePrefix: 'string', nameSuffix: 'string', images: 'strings', commonLabels: 'stringMap', commonAnnotations: 'stringMap',
  forceCommonLabels: 'boolean', forceCommonAnnotations: 'boolean', labelWithoutSelector: 'boolean', namespace: 'string',
  replicas: { items: { name: 'string', count: 'intOrString' }, required: ['name', 'count'] },
  patches: { items: { path: 'string', patch: 'string', target: 'object', options: 'object' }, required: [] },
  components: 'strings', ignoreMissingComponents: 'boolean',
};

const helm: Readonly<Record<string, FieldType>> = {
  releaseName: 'string', valueFiles: 'strings', ignoreMissingValueFiles: 'boolean', values: 'string', valuesObject: 'object',
  parameters: { items: { name: 'string', value: 'string', forceString: 'boolean' }, required: ['name'] },
  fileParameters: { items: { name: 'string', path: 'string' }, required: ['name', 'path'] },
  namespace: 'string', skipCrds: 'boolean', skipTests: 'boolean', skipSchemaValidation: 'boolean', kubeVersion: 'string', apiVersions: 'strings',
};

function typeProblem(value: unknown, type: FieldType, at: string): string[] {
  switch (type) {
    case 'string': return typeof value === 'string' ? [] : [`${at} must be a string`];
    case 'boolean': return typeof value === 'boolean' ? [] : [`${at} must be true or false`];
    case 'strings': return Array.isArray(value) && value.every((v) => typeof v === 'string') ? [] : [`${at} must be a list of strings`];
    case 'stringMap': return isRecord(value) && Object.values(value).every((v) => typeof v === 'string') ? [] : [`${at} must be a map of strings`];
    case 'object': return isRecord(value) ? [] : [`${at} must be a mapping`];
    case 'intOrString': return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)) ? [] : [`${at} must be a whole number`];
    default: {
      if (!Array.isArray(value)) return [`${at} must be a list`];
      return value.flatMap((item, i) => {
        const where = `${at}[${i}]`;
        if (!isRecord(item)) return [`${where} must be a mapping`];
        const missing = type.required.filter((f) => item[f] === undefined).map((f) => `${where}.${f} is required`);
        return [...missing, ...Object.entries(type.items).flatMap(([f, t]) => (item[f] === undefined ? [] : typeProblem(item[f], t, `${where}.${f}`)))];
      });
    }
  }
}

function fieldsProblems(options: unknown, fields: Readonly<Record<string, FieldType>>, at: string): string[] {
  if (options === undefined) return [];
  if (!isRecord(options)) return [`${at} must be a mapping`];
  return Object.entries(fields).flatMap(([f, t]) => (options[f] === undefined || options[f] === null ? [] : typeProblem(options[f], t, `${at}.${f}`)));
}

const jsonnetVar: FieldType = { items: { name: 'string', value: 'string', code: 'boolean' }, required: ['name', 'value'] };
const jsonnet: Readonly<Record<string, FieldType>> = { extVars: jsonnetVar, tlas: jsonnetVar, libs: 'strings' };

const plugin: Readonly<Record<string, FieldType>> = {
  name: 'string',
  env: { items: { name: 'string', value: 'string' }, required: ['name', 'value'] },
  parameters: { items: { name: 'string', string: 'string', array: 'strings', map: 'stringMap' }, required: ['name'] },
};

/** source.plugin: its types, and names that can be variable names (`ARGOCD_ENV_<name>`, `PARAM_<NAME>`). */
function pluginProblems(options: unknown, at: string): string[] {
  const problems = fieldsProblems(options, plugin, at);
  if (!isRecord(options)) return problems;
  const named = (list: unknown, field: string): void => {
    if (!Array.isArray(list)) return;
    list.forEach((item, i) => {
      const name: unknown = isRecord(item) ? item.name : undefined;
      if (typeof name === 'string' && (name === '' || /[=\0]/.test(name))) problems.push(`${at}.${field}[${i}].name must be a non-empty name without '='`);
    });
  };
  named(options.env, 'env');
  named(options.parameters, 'parameters');
  return problems;
}

/** Wrong types in a source's kustomize, helm, jsonnet and plugin options (unknown fields are refused elsewhere). Pure. */
export function renderOptionTypeProblems(source: unknown, at: string): string[] {
  if (!isRecord(source)) return [];
  const directory = isRecord(source.directory) ? source.directory.jsonnet : undefined;
  return [
    ...fieldsProblems(source.kustomize, kustomize, `${at}.kustomize`),
    ...fieldsProblems(source.helm, helm, `${at}.helm`),
    ...fieldsProblems(directory, jsonnet, `${at}.directory.jsonnet`),
    ...pluginProblems(source.plugin, `${at}.plugin`),
  ];
}
