/**
 * The notification settings of capstan-config as they are now: read by the ConfigMap's watch at
 * every change (HealthConfigWatch), asked by the notifier at every evaluation. Key `context` (a
 * YAML mapping of strings, as in Argo CD's notifications ConfigMap) is what templates read as
 * `.context`.
 */

import { isRecord } from '../api/object.js';
import { parseNotificationConfig, type ParsedNotificationConfig } from './config.js';
import { loadYaml } from './config-values.js';

/**
 * `base`: keys of another ConfigMap (Argo CD's argocd-notifications-cm, read at start) beneath
 * capstan-config's: a key capstan-config has wins.
 */
export class NotificationSettings {
  private current: ParsedNotificationConfig;
  private contextValues: Readonly<Record<string, string>> = {};
  private readonly listeners: (() => void)[] = [];

  constructor(private readonly base: Readonly<Record<string, string>> = {}) {
    this.current = parseNotificationConfig(base);
    this.contextValues = readContext(base['context'], []);
  }

  get parsed(): ParsedNotificationConfig {
    return this.current;
  }

  get context(): Readonly<Record<string, string>> {
    return this.contextValues;
  }

  /** Called after every read (and clear). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Takes the ConfigMap's data; returns what is wrong with its notification keys. */
  read(data: Readonly<Record<string, string>>): string[] {
    const merged = { ...this.base, ...data };
    this.current = parseNotificationConfig(merged);
    const problems = [...this.current.problems];
    this.contextValues = readContext(merged['context'], problems);
    this.emit();
    return problems;
  }

  clear(): void {
    this.current = parseNotificationConfig(this.base);
    this.contextValues = readContext(this.base['context'], []);
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

function readContext(text: string | undefined, problems: string[]): Record<string, string> {
  if (text === undefined || text.trim() === '') return {};
  const doc = loadYaml(text);
  if (!doc.ok || !isRecord(doc.value)) {
    problems.push(`context: expected a mapping of names to strings${doc.ok ? '' : ` (${doc.error})`}`);
    return {};
  }
  const context: Record<string, string> = {};
  for (const [name, value] of Object.entries(doc.value)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') context[name] = String(value);
    else problems.push(`context: ${name} must be a string`);
  }
  return context;
}
