import { type Application, primarySource } from '../../api/application.js';
import { coloursFor, type ColourMode } from '../output/colour.js';
import { printStructured, type OutputFormat } from '../output/format.js';
import type { CommandIO } from '../output/io.js';
import { colourHealth, colourSync } from '../output/status-colour.js';
import { emptyCell, humanAge, renderTable } from '../output/table.js';
import { terminalSafe, terminalSafeDeep } from '../output/terminal-safe.js';
import type { AppClient } from './client.js';
import { redactApplication } from './redact.js';

export interface ListFlags {
  output: OutputFormat;
  color: ColourMode;
  allNamespaces?: boolean;
}

const short = (sha: string | undefined): string => (sha === undefined || sha === '' ? emptyCell : sha.slice(0, 7));

/** `capstan app list`: like `kubectl get capp`, with the source. */
export async function listApps(client: AppClient, namespace: string, flags: ListFlags, io: CommandIO): Promise<void> {
  const found = (await client.list(flags.allNamespaces === true ? undefined : namespace)).map(redactApplication);
  if (flags.output === 'json' || flags.output === 'yaml') {
    printStructured({ apiVersion: 'v1', kind: 'List', items: found }, flags.output, io.out);
    return;
  }
  const apps = terminalSafeDeep(found);
  const c = coloursFor(flags.color, { stream: io.out, env: io.env });
  const wide = flags.output === 'wide';
  const columns = [...(flags.allNamespaces === true ? ['namespace'] : []), 'name', 'sync', 'health', 'revision', 'repo', 'path', ...(wide ? ['target', 'message'] : []), 'age'];
  const rows = apps.map((app: Application) => [
    ...(flags.allNamespaces === true ? [app.metadata.namespace ?? ''] : []),
    app.metadata.name ?? '',
    colourSync(app.status?.sync?.status, c),
    colourHealth(app.status?.health?.status, c),
    short(app.status?.sync?.revision),
    primarySource(app.spec).repoURL,
    primarySource(app.spec).chart ?? primarySource(app.spec).path ?? '.',
    ...(wide ? [primarySource(app.spec).targetRevision ?? 'HEAD', app.status?.conditions?.find((x) => x.type === 'Ready')?.message ?? ''] : []),
    app.metadata.creationTimestamp === undefined ? emptyCell : humanAge(app.metadata.creationTimestamp),
  ]);
  if (rows.length === 0) {
    io.err.write(`No Applications found${flags.allNamespaces === true ? '' : ` in namespace ${terminalSafe(namespace)}`}.\n`);
    return;
  }
  io.out.write(renderTable(columns, rows));
}
