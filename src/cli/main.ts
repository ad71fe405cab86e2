#!/usr/bin/env node
import { Command } from 'commander';
import { registerAppCommands } from './app/index.js';
import { registerControllerCommand } from './controller-command.js';
import { registerHealthCommand } from './health-command.js';
import { registerProjectCommands } from './proj/index.js';
import { terminalSafe } from './output/terminal-safe.js';
import { registerRenderCommand } from './render-command.js';
import { registerRepoCommands } from './repo/index.js';
import { registerClusterCommands } from './cluster/index.js';
import { registerDashboardCommand } from './dashboard-command.js';
import { registerMigrateCommand } from './migrate/index.js';
import { capstanVersion, registerVersionCommand } from './version.js';

const program = new Command();
program.name('capstan').description('Capstan: GitOps for Kubernetes').version(capstanVersion());
registerControllerCommand(program);
registerAppCommands(program);
registerProjectCommands(program);
registerRepoCommands(program);
registerClusterCommands(program);
registerRenderCommand(program);
registerHealthCommand(program);
registerDashboardCommand(program);
registerMigrateCommand(program);
registerVersionCommand(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`capstan: ${terminalSafe(err instanceof Error ? err.message : String(err))}\n`);
  process.exitCode = 1;
});
