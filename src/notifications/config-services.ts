/** `service.<type>[.<name>]` keys of capstan-config: where notifications go. */

import { isRecord } from '../api/object.js';
import { checkUrl, configValue, isHttpUrl, loadYaml, unknownFields } from './config-values.js';
import type { ConfigValue, Service, WebhookHeader } from './types.js';

export const defaultGitHubApiUrl = 'https://api.github.com';
const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** One service key's service (named `name`), or its problems joined. */
export function parseService(type: string, name: string, text: string): Service | string {
  const doc = loadYaml(text);
  if (!doc.ok) return doc.error;
  if (!isRecord(doc.value)) return `expected a mapping of the ${type} service's fields`;
  const problems: string[] = [];
  const service = type === 'webhook' ? webhook(name, doc.value, problems)
    : type === 'slack' ? slack(name, doc.value, problems)
      : github(name, doc.value, problems);
  return problems.length > 0 || service === undefined ? problems.join('; ') : service;
}

function webhook(name: string, doc: Readonly<Record<string, unknown>>, problems: string[]): Service | undefined {
  unknownFields(doc, ['url', 'headers', 'secret'], 'a webhook service', problems);
  const url = required(doc.url, 'url', 'the URL the webhook posts to', problems);
  checkUrl(url, 'url', problems);
  const headers = headerList(doc.headers, problems);
  const secret = doc.secret === undefined ? undefined : configValue(doc.secret, 'secret', problems);
  if (url === undefined || headers === undefined) return undefined;
  return { type: 'webhook', name, url, headers, ...(secret === undefined ? {} : { secret }) };
}

function slack(name: string, doc: Readonly<Record<string, unknown>>, problems: string[]): Service | undefined {
  if (doc.token !== undefined) problems.push('token: Capstan sends to Slack through an incoming webhook; set webhookUrl instead');
  unknownFields(doc, ['webhookUrl', 'url', 'token'], 'a Slack service', problems);
  if (doc.webhookUrl !== undefined && doc.url !== undefined) problems.push('set webhookUrl or url, not both');
  const field = doc.webhookUrl !== undefined ? 'webhookUrl' : 'url';
  const url = required(doc[field], 'webhookUrl', 'the incoming webhook URL', problems);
  checkUrl(url, field, problems);
  return url === undefined ? undefined : { type: 'slack', name, url };
}

function github(name: string, doc: Readonly<Record<string, unknown>>, problems: string[]): Service | undefined {
  for (const appField of ['appID', 'installationID', 'privateKey']) {
    if (doc[appField] !== undefined) problems.push(`${appField}: Capstan authenticates to the commit status API with a token; set token: $<key>`);
  }
  unknownFields(doc, ['token', 'apiURL', 'appID', 'installationID', 'privateKey'], 'a GitHub service', problems);
  const token = required(doc.token, 'token', 'the API token, as $<key> of the Secret', problems);
  let apiURL = defaultGitHubApiUrl;
  if (doc.apiURL !== undefined) {
    if (typeof doc.apiURL === 'string' && isHttpUrl(doc.apiURL)) apiURL = doc.apiURL.replace(/\/+$/, '');
    else problems.push('apiURL must be an http or https URL');
  }
  return token === undefined ? undefined : { type: 'github', name, token, apiURL };
}

function required(value: unknown, field: string, what: string, problems: string[]): ConfigValue | undefined {
  if (value === undefined || value === null) {
    problems.push(`${field} is required: ${what}`);
    return undefined;
  }
  return configValue(value, field, problems);
}

function headerList(value: unknown, problems: string[]): WebhookHeader[] | undefined {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push('headers must be a list of {name, value}');
    return undefined;
  }
  const headers: WebhookHeader[] = [];
  value.forEach((item: unknown, i) => {
    const field = `headers[${i}]`;
    if (!isRecord(item) || typeof item.name !== 'string' || !headerName.test(item.name)) {
      problems.push(`${field} must be {name, value} with name an HTTP header name`);
      return;
    }
    unknownFields(item, ['name', 'value'], field, problems);
    const headerValue = configValue(item.value, `${field}.value`, problems);
    if (headerValue !== undefined && 'literal' in headerValue && /[\r\n]/.test(headerValue.literal)) problems.push(`${field}.value must be one line`);
    else if (headerValue !== undefined) headers.push({ name: item.name, value: headerValue });
  });
  return headers;
}
