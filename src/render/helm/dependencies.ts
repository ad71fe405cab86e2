import path from 'node:path';
import yaml from 'js-yaml';
import { isRecord } from '../../api/object.js';
import type { RenderError } from '../types.js';

export interface ChartDependency {
  readonly name: string;
  readonly repository: string;
  /** The name under charts/ (alias, else name). */
  readonly dirName: string;
}

export type ChartDependencies = { ok: true; dependencies: ChartDependency[]; flags: string[] } | { ok: false; error: RenderError };

const loopback = /^oci:\/\/(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?(?:\/|$)/;

/**
 * The dependencies a Chart.yaml declares, refused when one would come from outside the
 * repository (`file://` out of it) or from a repository known only by a name added with
 * `helm repo add` (Capstan adds none). Charts from a loopback OCI registry are pulled over
 * plain HTTP (a registry on this machine, as the tests and the demo run).
 */
export function chartDependencies(chartYaml: string, chartDir: string): ChartDependencies {
  let parsed: unknown;
  try {
    parsed = yaml.load(chartYaml, { json: true });
  } catch (err) {
    return { ok: false, error: { code: 'ParseError', file: path.posix.join(chartDir, 'Chart.yaml'), message: `not valid YAML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` } };
  }
  const list = isRecord(parsed) && Array.isArray(parsed.dependencies) ? parsed.dependencies.filter(isRecord) : [];
  const dependencies: ChartDependency[] = [];
  let plainHttp = false;
  for (const d of list) {
    const name = typeof d.name === 'string' ? d.name : '';
    const repository = typeof d.repository === 'string' ? d.repository : '';
    const at = path.posix.join(chartDir, 'Chart.yaml');
    if (repository.startsWith('@') || repository.startsWith('alias:')) {
      return { ok: false, error: { code: 'InvalidOption', file: at, message: `dependency ${name} names the repository "${repository}", which is known only to a local helm; give its URL` } };
    }
    if (repository.startsWith('file://')) {
      const target = path.posix.normalize(path.posix.join(chartDir, repository.slice('file://'.length)));
      if (target === '..' || target.startsWith('../') || path.posix.isAbsolute(repository.slice('file://'.length))) {
        return { ok: false, error: { code: 'PathEscapesRepository', file: at, message: `dependency ${name} comes from "${repository}", which is outside the repository` } };
      }
    }
    if (loopback.test(repository)) plainHttp = true;
    dependencies.push({ name, repository, dirName: typeof d.alias === 'string' && d.alias !== '' ? d.alias : name });
  }
  return { ok: true, dependencies, flags: plainHttp ? ['--plain-http'] : [] };
}
