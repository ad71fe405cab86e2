import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { HealthAssessment, HealthStatus } from '../api/health.js';
import type { KubeObject } from '../api/object.js';
import { CustomHealthChecks, type ObjectHealth } from '../health/custom/checks.js';
import { readHealthCustomizations } from './health-customizations.js';
import { parseManifests, type ManifestFormat } from '../render/parse.js';
import { colourOption, coloursFor, type ColourMode } from './output/colour.js';
import { locatedMessage, outputOption, toJson, type OutputFormat } from './output/format.js';
import { processIO, readAllText, type CommandIO } from './output/io.js';
import { colourHealth } from './output/status-colour.js';
import { renderTable } from './output/table.js';
import { terminalSafe } from './output/terminal-safe.js';

interface HealthFlags {
  file: string;
  customizations?: string;
  output: OutputFormat;
  color: ColourMode;
}

/** One line of `capstan health -o json`; status null means the kind has no health rule. */
export interface ObjectHealthReport {
  kind: string;
  name: string;
  status: HealthStatus | null;
  message?: string;
}

const healthFormats: readonly OutputFormat[] = ['table', 'json'];
const stdinName = '<stdin>';

/** `capstan health -f FILE`: the health of each object in a manifest file, as the controller assesses it (offline). */
export function registerHealthCommand(program: Command, io: CommandIO = processIO()): void {
  program
    .command('health')
    .description('assess the health of the objects in a file (e.g. from `kubectl get -o yaml`), offline')
    .requiredOption('-f, --file <file>', "YAML or JSON file of objects (multi-document and List allowed); '-' reads stdin")
    .option('--customizations <dir>', 'Lua health checks laid out as <group>/<Kind>/health.lua (Argo CD\'s resource_customizations tree); they take precedence over the built-in rules')
    .addOption(outputOption(healthFormats))
    .addOption(colourOption())
    .action(async (flags: HealthFlags) => {
      await runHealth(flags, io);
    });
}

async function runHealth(flags: HealthFlags, io: CommandIO): Promise<void> {
  const name = flags.file === '-' ? stdinName : flags.file;
  let text: string;
  try {
    text = flags.file === '-' ? await readAllText(io.stdin) : await readFile(flags.file, 'utf8');
  } catch (err) {
    io.err.write(terminalSafe(`cannot read ${name}: ${err instanceof Error ? err.message : String(err)}`) + '\n');
    io.setExitCode(1);
    return;
  }
  const parsed = parseManifests(text, name, manifestFormatOf(flags.file, text));
  if (!parsed.ok) {
    for (const error of parsed.errors) io.err.write(`${terminalSafe(locatedMessage(error.file, error.line, error.message))}\n`);
    io.setExitCode(1);
    return;
  }
  let checks: CustomHealthChecks;
  try {
    checks = new CustomHealthChecks(flags.customizations === undefined ? undefined : await readHealthCustomizations(flags.customizations));
  } catch (err) {
    io.err.write(terminalSafe(`cannot read the health checks in ${flags.customizations ?? ''}: ${err instanceof Error ? err.message : String(err)}`) + '\n');
    io.setExitCode(1);
    return;
  }
  let reports: ObjectHealthReport[];
  try {
    reports = await Promise.all(parsed.objects.map((obj) => healthReport(obj, checks)));
  } finally {
    await checks.close();
  }
  if (flags.output === 'json') {
    io.out.write(toJson(reports));
    return;
  }
  if (reports.length === 0) {
    io.err.write(`no objects in ${name}\n`);
    return;
  }
  const c = coloursFor(flags.color, { stream: io.out, env: io.env });
  const rows = reports.map((r) => [r.kind, r.name, colourHealth(r.status, c), r.message ?? '']);
  io.out.write(renderTable(['kind', 'name', 'health', 'message'], rows));
}

export async function healthReport(obj: KubeObject, health: ObjectHealth): Promise<ObjectHealthReport> {
  const assessment: HealthAssessment | null = await health.assess(obj);
  const report: ObjectHealthReport = { kind: obj.kind, name: obj.metadata.name ?? '', status: assessment?.status ?? null };
  if (assessment?.message !== undefined && assessment.message !== '') report.message = assessment.message;
  return report;
}

/** JSON by extension, YAML by extension; otherwise (stdin, other names) JSON when the text opens with `{` or `[`. */
function manifestFormatOf(file: string, text: string): ManifestFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  return /^\uFEFF?\s*[[{]/.test(text) ? 'json' : 'yaml';
}
