/**
 * The notification keys of capstan-config, read as Argo CD's notifications engine reads its
 * ConfigMap: `trigger.<name>`, `template.<name>`, `service.webhook.<name>`, `service.slack[.<name>]`,
 * `service.github[.<name>]`. Each key with a problem is said once, with the reason, and is not
 * used (nor whatever depends on it: a trigger that sends a refused template). Pure.
 */

import { builtInTemplates, builtInTriggers } from './built-ins.js';
import { parseService } from './config-services.js';
import { parseTemplate } from './config-templates.js';
import { parseTrigger } from './config-triggers.js';
import type { NotificationConfig, Service, Template, Trigger } from './types.js';

export interface ParsedNotificationConfig {
  readonly config: NotificationConfig;
  /** Keys that are wrong, one sentence each, starting with the key. */
  readonly problems: string[];
  /** Why a trigger or service of that name is not used (its key has a problem). */
  readonly refusedTriggers: ReadonlyMap<string, string>;
  readonly refusedServices: ReadonlyMap<string, string>;
}

const serviceTypes = ['webhook', 'slack', 'github'];
const triggerName = /^[A-Za-z0-9_-]+$/;
const templateName = /^[A-Za-z0-9._-]+$/;
const serviceName = /^[A-Za-z0-9_-]+$/;

export function parseNotificationConfig(data: Readonly<Record<string, string>>): ParsedNotificationConfig {
  const problems: string[] = [];
  const keys = Object.keys(data).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const services = readServices(keys, data, problems);
  const templates = readTemplates(keys, data, services.usable, problems);
  const triggers = readTriggers(keys, data, templates, problems);
  return {
    config: { triggers: triggers.usable, templates: templates.usable, services: services.usable },
    problems,
    refusedTriggers: triggers.refused,
    refusedServices: services.refused,
  };
}

interface Read<T> {
  readonly usable: Map<string, T>;
  readonly refused: Map<string, string>;
}

function readServices(keys: readonly string[], data: Readonly<Record<string, string>>, problems: string[]): Read<Service> {
  const read: Read<Service> = { usable: new Map(), refused: new Map() };
  const keyOf = new Map<string, string>();
  for (const key of keys.filter((k) => k === 'service' || k.startsWith('service.'))) {
    const [, type = '', ...rest] = key.split('.');
    const name = rest.length === 0 ? type : rest.join('.');
    let outcome: Service | string;
    if (!serviceTypes.includes(type)) outcome = `unknown service type ${JSON.stringify(type)} (Capstan sends through webhook, slack and github)`;
    else if (type === 'webhook' && rest.length === 0) outcome = 'expected service.webhook.<name>, one key for each webhook';
    else if (!serviceName.test(name)) outcome = `${JSON.stringify(name)} is not a service name (letters, digits, - and _)`;
    else if (keyOf.has(name) || read.refused.has(name)) outcome = `another key (${keyOf.get(name) ?? 'service'}) already defines service ${JSON.stringify(name)}`;
    else outcome = parseService(type, name, data[key] ?? '');
    if (typeof outcome === 'string') {
      problems.push(`${key}: ${outcome}`);
      if (serviceName.test(name) && !keyOf.has(name)) read.refused.set(name, `${key}: ${outcome}`);
    } else {
      read.usable.set(name, outcome);
      keyOf.set(name, key);
    }
  }
  return read;
}

function readTemplates(keys: readonly string[], data: Readonly<Record<string, string>>, services: ReadonlyMap<string, Service>, problems: string[]): Read<Template> {
  const read: Read<Template> = { usable: builtInTemplates(), refused: new Map() };
  for (const key of keys.filter((k) => k === 'template' || k.startsWith('template.'))) {
    const name = key.slice('template.'.length);
    let outcome = templateName.test(name) ? parseTemplate(name, data[key] ?? '') : 'expected template.<name> (letters, digits, ., - and _)';
    if (typeof outcome !== 'string') {
      const unknown = [...outcome.webhook.keys()].filter((s) => services.get(s)?.type !== 'webhook');
      if (unknown.length > 0) outcome = `webhook.${unknown[0] ?? ''}: there is no webhook service ${JSON.stringify(unknown[0])} (service.webhook.${unknown[0] ?? ''})`;
    }
    if (typeof outcome === 'string') {
      problems.push(`${key}: ${outcome}`);
      read.usable.delete(name);
      read.refused.set(name, `${key}: ${outcome}`);
    } else {
      read.usable.set(name, outcome);
    }
  }
  return read;
}

function readTriggers(keys: readonly string[], data: Readonly<Record<string, string>>, templates: Read<Template>, problems: string[]): Read<Trigger> {
  const read: Read<Trigger> = { usable: builtInTriggers(), refused: new Map() };
  const refuse = (name: string, message: string): void => {
    problems.push(message);
    read.usable.delete(name);
    read.refused.set(name, message);
  };
  for (const key of keys.filter((k) => k === 'trigger' || k.startsWith('trigger.'))) {
    const name = key.slice('trigger.'.length);
    const outcome = triggerName.test(name) ? parseTrigger(name, data[key] ?? '') : 'expected trigger.<name> (letters, digits, - and _)';
    if (typeof outcome === 'string') refuse(name, `${key}: ${outcome}`);
    else read.usable.set(name, outcome);
  }
  for (const trigger of [...read.usable.values()]) {
    const missing = trigger.conditions.flatMap((c) => c.send).filter((t) => !templates.usable.has(t));
    if (missing.length === 0) continue;
    const template = missing[0] ?? '';
    const why = templates.refused.has(template) ? `template.${template} has a problem` : `there is no template.${template}`;
    refuse(trigger.name, `${trigger.origin === 'config' ? `trigger.${trigger.name}` : `built-in trigger ${trigger.name}`}: it sends template ${JSON.stringify(template)}, but ${why}; the trigger is not used`);
  }
  return read;
}
