// A live object as YAML, as the resource panel shows it.
import yaml from 'js-yaml';

export function toYaml(value: unknown): string {
  return yaml.dump(value, { noRefs: true, lineWidth: -1, sortKeys: false });
}
