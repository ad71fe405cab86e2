/** The triggers and templates Capstan has without configuration; capstan-config keys of the same name replace them. */

import { parseTriggerCondition } from './config-triggers.js';
import { compileTemplate, type CompiledTemplate } from './template.js';
import { builtInTriggerNames, type BuiltInTriggerName, type Template, type Trigger } from './types.js';

/**
 * Each built-in trigger's condition and the field it fires once per. The sync triggers fire once
 * per revision of the operation (a self-heal or a retry of the same revision is not news; a new
 * outcome after a different one is, see once.ts); on-approval-required reads `status.plan.state`
 * (AwaitingApproval) and fires once per `status.plan.hash`.
 */
export const builtInConditions: Readonly<Record<BuiltInTriggerName, { readonly when: string; readonly oncePer?: string }>> = {
  'on-sync-succeeded': { when: "app.status.operationState.phase in ['Succeeded']", oncePer: 'app.status.operationState.revision' },
  'on-sync-failed': { when: "app.status.operationState.phase in ['Error', 'Failed']", oncePer: 'app.status.operationState.revision' },
  'on-sync-running': { when: "app.status.operationState.phase in ['Running']", oncePer: 'app.status.operationState.revision' },
  'on-health-degraded': { when: "app.status.health.status == 'Degraded'" },
  'on-deployed': {
    when: "app.status.operationState.phase in ['Succeeded'] && app.status.health.status == 'Healthy'",
    oncePer: 'app.status.sync.revision',
  },
  'on-approval-required': { when: "app.status.plan.state == 'AwaitingApproval'", oncePer: 'app.status.plan.hash' },
};

const builtInMessages: Readonly<Record<BuiltInTriggerName, string>> = {
  'on-sync-succeeded': 'Application {{.app.metadata.name}} has been successfully synced at revision {{.app.status.operationState.revision}}.',
  'on-sync-failed': 'The sync of application {{.app.metadata.name}} at revision {{.app.status.operationState.revision}} has failed: {{.app.status.operationState.message}}',
  'on-sync-running': 'Application {{.app.metadata.name}} is being synced to revision {{.app.status.operationState.revision}}.',
  'on-health-degraded': 'Application {{.app.metadata.name}} has degraded: {{.app.status.health.message}}',
  'on-deployed': 'Application {{.app.metadata.name}} is now running revision {{.app.status.sync.revision}}.',
  'on-approval-required': 'Application {{.app.metadata.name}} awaits approval of plan {{.app.status.plan.hash}} for revision {{.app.status.plan.revision}}.',
};

/** The default template of a built-in trigger. */
export const builtInTemplateName = (trigger: BuiltInTriggerName): string => `app-${trigger}`;

export function builtInTriggers(): Map<string, Trigger> {
  const triggers = new Map<string, Trigger>();
  for (const name of builtInTriggerNames) {
    const problems: string[] = [];
    const condition = parseTriggerCondition({ ...builtInConditions[name], send: [builtInTemplateName(name)] }, name, problems);
    if (condition === undefined) throw new Error(`built-in trigger ${name}: ${problems.join('; ')}`);
    triggers.set(name, { name, conditions: [condition], origin: 'built-in' });
  }
  return triggers;
}

export function builtInTemplates(): Map<string, Template> {
  const templates = new Map<string, Template>();
  for (const trigger of builtInTriggerNames) {
    const name = builtInTemplateName(trigger);
    templates.set(name, { name, message: compiled(builtInMessages[trigger]), webhook: new Map(), origin: 'built-in' });
  }
  return templates;
}

function compiled(source: string): CompiledTemplate {
  const result = compileTemplate(source);
  if (!result.ok) throw new Error(`built-in template: ${result.error}`);
  return result.value;
}
