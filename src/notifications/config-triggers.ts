/** `trigger.<name>` keys of capstan-config: when notifications are sent, and which templates. */

import { isRecord } from '../api/object.js';
import { parseCondition } from './conditions.js';
import { loadYaml, unknownFields } from './config-values.js';
import { parseFieldPath } from './fields.js';
import type { Trigger, TriggerCondition } from './types.js';

/** One trigger key's trigger (Argo CD's shape: a list of {when, send, oncePer}), or its problems joined. */
export function parseTrigger(name: string, text: string): Trigger | string {
  const doc = loadYaml(text);
  if (!doc.ok) return doc.error;
  if (!Array.isArray(doc.value) || doc.value.length === 0) return 'expected a list of {when, send, oncePer}';
  const problems: string[] = [];
  const conditions: TriggerCondition[] = [];
  doc.value.forEach((item: unknown, i) => {
    const condition = parseTriggerCondition(item, `[${i}]`, problems);
    if (condition !== undefined) conditions.push(condition);
  });
  return problems.length > 0 ? problems.join('; ') : { name, conditions, origin: 'config' };
}

/** One `{when, send, oncePer}`; undefined when wrong (said in problems, prefixed with field). */
export function parseTriggerCondition(item: unknown, field: string, problems: string[]): TriggerCondition | undefined {
  if (!isRecord(item)) {
    problems.push(`${field} must be a mapping (when, send, oncePer)`);
    return undefined;
  }
  const before = problems.length;
  const own: string[] = [];
  unknownFields(item, ['when', 'send', 'oncePer', 'description'], 'a trigger condition', own);
  let parsed: TriggerCondition['condition'] | undefined;
  if (typeof item.when !== 'string') own.push('when is required: the condition');
  else {
    const condition = parseCondition(item.when);
    if (condition.ok) parsed = condition.value;
    else own.push(`when: ${condition.error}`);
  }
  const send = item.send;
  if (!Array.isArray(send) || send.length === 0 || !send.every((t): t is string => typeof t === 'string' && t !== '')) {
    own.push('send must be a list of template names');
  }
  if (item.oncePer !== undefined && (typeof item.oncePer !== 'string' || parseFieldPath(item.oncePer)?.[0] !== 'app')) {
    own.push('oncePer must be a field of the app, like app.status.sync.revision');
  }
  problems.push(...own.map((p) => `${field}: ${p}`));
  if (problems.length > before || parsed === undefined || typeof item.when !== 'string') return undefined;
  return {
    when: item.when,
    condition: parsed,
    send: send as string[],
    ...(typeof item.oncePer === 'string' ? { oncePer: item.oncePer } : {}),
  };
}
