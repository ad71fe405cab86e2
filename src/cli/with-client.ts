import type { Command } from 'commander';
import type { CommandIO } from './output/io.js';
import { terminalSafe } from './output/terminal-safe.js';

/** The flags of a command that talks to the API server: where the kubeconfig is, and the namespace. */
export interface ClientFlags {
  kubeconfig?: string;
  context?: string;
  namespace: string;
}

/**
 * Runs `fn` with a client made from the command's connection flags (its own and its parents'),
 * closing the client afterwards; an error is printed and becomes exit code 2.
 */
export async function withClient<C extends { close(): void }>(
  command: Command, io: CommandIO, create: (flags: ClientFlags) => C, fn: (client: C, namespace: string) => Promise<void>,
): Promise<void> {
  const flags = command.optsWithGlobals<ClientFlags>();
  let client: C | undefined;
  try {
    client = create(flags);
    await fn(client, flags.namespace);
  } catch (err) {
    io.err.write(`capstan: ${terminalSafe(err instanceof Error ? err.message : String(err))}\n`);
    io.setExitCode(2);
  } finally {
    client?.close();
  }
}
