/** `template.<name>` keys of capstan-config: what a notification says, for each kind of service. */

import { isRecord } from '../api/object.js';
import { loadYaml, unknownFields } from './config-values.js';
import { compileTemplate, jsonShape, type CompiledTemplate } from './template.js';
import type { SlackTemplate, Template, WebhookTemplate } from './types.js';

const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** One template key's template, or its problems joined. */
export function parseTemplate(name: string, text: string): Template | string {
  const doc = loadYaml(text);
  if (!doc.ok) return doc.error;
  if (!isRecord(doc.value)) return 'expected a mapping with message (and title, webhook, slack)';
  const problems: string[] = [];
  unknownFields(doc.value, ['message', 'title', 'webhook', 'slack'], 'a template', problems);
  if (doc.value.message === undefined && doc.value.webhook === undefined && doc.value.slack === undefined) {
    problems.push('message is required (or webhook or slack)');
  }
  const message = text_(doc.value.message ?? '', 'message', problems);
  const title = doc.value.title === undefined ? undefined : text_(doc.value.title, 'title', problems);
  const webhook = webhookTemplates(doc.value.webhook, problems);
  const slack = doc.value.slack === undefined ? undefined : slackTemplate(doc.value.slack, problems);
  if (problems.length > 0 || message === undefined || webhook === undefined) return problems.join('; ');
  return {
    name,
    message,
    webhook,
    origin: 'config',
    ...(title === undefined ? {} : { title }),
    ...(slack === undefined ? {} : { slack }),
  };
}

function text_(value: unknown, field: string, problems: string[]): CompiledTemplate | undefined {
  if (typeof value !== 'string') {
    problems.push(`${field} must be a string`);
    return undefined;
  }
  const compiled = compileTemplate(value);
  if (!compiled.ok) problems.push(`${field}: ${compiled.error}`);
  return compiled.ok ? compiled.value : undefined;
}

function webhookTemplates(value: unknown, problems: string[]): Map<string, WebhookTemplate> | undefined {
  const templates = new Map<string, WebhookTemplate>();
  if (value === undefined || value === null) return templates;
  if (!isRecord(value)) {
    problems.push('webhook must be a mapping of webhook service names to {method, path, body}');
    return undefined;
  }
  for (const [service, spec] of Object.entries(value)) {
    const field = `webhook.${service}`;
    if (!isRecord(spec)) {
      problems.push(`${field} must be a mapping (method, path, body)`);
      continue;
    }
    unknownFields(spec, ['method', 'path', 'body'], field, problems);
    let method: string | undefined;
    if (spec.method !== undefined) {
      method = typeof spec.method === 'string' ? spec.method.toUpperCase() : '';
      if (!methods.includes(method)) problems.push(`${field}.method must be one of ${methods.join(', ')}`);
    }
    const path = spec.path === undefined ? undefined : text_(spec.path, `${field}.path`, problems);
    const body = spec.body === undefined ? undefined : text_(spec.body, `${field}.body`, problems);
    templates.set(service, {
      ...(method === undefined ? {} : { method }),
      ...(path === undefined ? {} : { path }),
      ...(body === undefined ? {} : { body }),
    });
  }
  return templates;
}

function slackTemplate(value: unknown, problems: string[]): SlackTemplate | undefined {
  if (!isRecord(value)) {
    problems.push('slack must be a mapping (attachments, blocks)');
    return undefined;
  }
  unknownFields(value, ['attachments', 'blocks'], 'slack', problems);
  const jsonList = (field: 'attachments' | 'blocks'): CompiledTemplate | undefined => {
    if (value[field] === undefined) return undefined;
    const compiled = text_(value[field], `slack.${field}`, problems);
    if (compiled === undefined) return undefined;
    if (!Array.isArray(jsonShape(compiled))) {
      problems.push(`slack.${field} must be a JSON list (placeholders inside its strings)`);
      return undefined;
    }
    return compiled;
  };
  const attachments = jsonList('attachments');
  const blocks = jsonList('blocks');
  return { ...(attachments === undefined ? {} : { attachments }), ...(blocks === undefined ? {} : { blocks }) };
}
