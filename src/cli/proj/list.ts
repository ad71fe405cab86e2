import { implicitDefaultProject } from '../../projects/default-project.js';
import { validateProject } from '../../projects/validate.js';
import { defaultProjectName, type AppProject } from '../../projects/types.js';
import { printStructured, type OutputFormat } from '../output/format.js';
import type { CommandIO } from '../output/io.js';
import { renderTable } from '../output/table.js';
import { terminalSafe, terminalSafeDeep } from '../output/terminal-safe.js';
import type { ProjectClient } from './client.js';
import { ageCell, destinationsCell, isImplicit, joined, windowsCell } from './view.js';

export interface ProjectListFlags {
  output: OutputFormat;
}

/**
 * `capstan proj list`: the AppProjects of the namespace, and project default when it is implicit
 * (in the table; JSON and YAML list only the stored AppProjects).
 */
export async function listProjects(client: ProjectClient, namespace: string, flags: ProjectListFlags, io: CommandIO, now = new Date()): Promise<void> {
  const { projects, crdInstalled } = await client.list(namespace);
  if (!crdInstalled) io.err.write('The AppProject CRD (appprojects.capstan.dev) is not installed: only the implicit project default exists.\n');
  if (flags.output === 'json' || flags.output === 'yaml') {
    printStructured({ apiVersion: 'v1', kind: 'List', items: projects }, flags.output, io.out);
    return;
  }
  const shown: AppProject[] = terminalSafeDeep(projects.some((p) => p.metadata.name === defaultProjectName) ? projects : [...projects, implicitDefaultProject(namespace)]);
  const wide = flags.output === 'wide';
  const columns = ['name', 'description', 'source repos', 'destinations', 'windows', ...(wide ? ['cluster resources', 'source namespaces', 'service accounts', 'problems'] : []), 'age'];
  const rows = shown.map((project) => [
    project.metadata.name ?? '',
    isImplicit(project) ? '(implicit: no AppProject named default)' : project.spec.description ?? '',
    joined(project.spec.sourceRepos),
    destinationsCell(project),
    windowsCell(project, now),
    ...(wide ? [
      String((project.spec.clusterResourceWhitelist ?? []).length),
      joined(project.spec.sourceNamespaces),
      String((project.spec.destinationServiceAccounts ?? []).length),
      String(validateProject(project).length),
    ] : []),
    ageCell(project),
  ]);
  io.out.write(renderTable(columns, rows));
  if (projects.length === 0 && crdInstalled) io.err.write(`No AppProjects found in namespace ${terminalSafe(namespace)}.\n`);
}
