import { readFileSync } from 'node:fs';
import type { CoreV1Api } from '@kubernetes/client-node';
import type { Apps } from './capstan.js';

/**
 * Where credentials show up that must not: the controller's log file, the status of each app,
 * the Events of the namespace, and the command lines a process watch saw. One line per place
 * and credential found (the credential itself is not quoted); empty when none leaked.
 */
export async function credentialLeaks(secrets: readonly string[], where: {
  readonly logFile: string;
  readonly apps: Apps;
  readonly appNames: readonly string[];
  readonly core: CoreV1Api;
  readonly commandLines: readonly string[];
}): Promise<string[]> {
  const leaks = (what: string, text: string): string[] => secrets.flatMap((s, i) => (text.includes(s) ? [`${what} holds credential #${i}`] : []));
  const events = await where.core.listNamespacedEvent({ namespace: where.apps.namespace });
  const statuses = await Promise.all(where.appNames.map(async (name) => leaks(`the status of ${name}`, JSON.stringify((await where.apps.mustGet(name)).status))));
  return [
    ...leaks('the controller log', readFileSync(where.logFile, 'utf8')),
    ...statuses.flat(),
    ...leaks('the Events', JSON.stringify(events.items)),
    ...where.commandLines.flatMap((c) => leaks(`a command line of ${c.split(' ')[0] ?? 'a process'}`, c)),
  ];
}
