import { describe, expect, it } from '@jest/globals';
import { compileTemplate, jsonShape, renderTemplate, rendersJson, type CompiledTemplate } from './template.js';
import { synced } from './testing/apps.js';

function compiled(source: string): CompiledTemplate {
  const result = compileTemplate(source);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

const data = { app: synced('Failed', { message: 'hook "migrate" failed\nsee logs' }), context: { dashboardUrl: 'https://capstan.example' } };

describe('compileTemplate and renderTemplate', () => {
  it('substitutes fields, with or without spaces, and unknown fields render empty', () => {
    const t = compiled('{{.app.metadata.name}} at {{ .app.status.sync.revision }} ({{.app.nothing.here}}) {{.context.dashboardUrl}}');
    expect(renderTemplate(t, data)).toBe(`guestbook at ${'a'.repeat(40)} () https://capstan.example`);
  });

  it('truncates with trunc N, by characters', () => {
    expect(renderTemplate(compiled('{{ .app.status.sync.revision | trunc 7 }}'), data)).toBe('aaaaaaa');
    expect(renderTemplate(compiled('{{ .x | trunc 2 }}'), { x: '👍🏽👍🏽👍🏽' })).toBe('👍🏽👍🏽');
  });

  it('prints numbers, booleans and maps', () => {
    expect(renderTemplate(compiled('{{.n}} {{.b}} {{.m}}'), { n: 3, b: false, m: { a: 1 } })).toBe('3 false {"a":1}');
  });

  it.each([
    ['{{ .app.metadata.name', 'not closed'],
    ['{{ if .app }}x{{ end }}', 'only {{ .path.to.field }}'],
    ['{{ .app.metadata.name | upper }}', 'only {{ .path.to.field }}'],
    ['{{ app.metadata.name }}', 'only {{ .path.to.field }}'],
    ['{{ .app..name }}', 'only {{ .path.to.field }}'],
  ])('refuses %j', (source, message) => {
    const result = compileTemplate(source);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(message);
  });

  it('keeps text without placeholders, and a lone }} is text', () => {
    expect(renderTemplate(compiled('plain }} text'), data)).toBe('plain }} text');
  });

  it('JSON-escapes values inside JSON strings, so a message with quotes cannot break or add to the JSON', () => {
    const t = compiled('{"text": "{{.app.status.operationState.message}}", "admin": false}');
    const rendered = renderTemplate(t, data, 'json');
    expect(JSON.parse(rendered)).toEqual({ text: 'hook "migrate" failed\nsee logs', admin: false });
    const injected = renderTemplate(t, { app: { status: { operationState: { message: '", "admin": true, "x": "' } } } }, 'json');
    expect(JSON.parse(injected)).toEqual({ text: '", "admin": true, "x": "', admin: false });
  });

  it('makes a value outside a JSON string a whole JSON string', () => {
    const t = compiled('{"name": {{.app.metadata.name}}, "n": {{.evil}}}');
    expect(JSON.parse(renderTemplate(t, { app: { metadata: { name: 'guestbook' } }, evil: '1, "admin": true' }, 'json'))).toEqual({ name: 'guestbook', n: '1, "admin": true' });
  });

  it('tracks escaped quotes in the template text', () => {
    const t = compiled('{"a": "say \\"{{.x}}\\"", "b": {{.x}}}');
    expect(JSON.parse(renderTemplate(t, { x: 'hi"' }, 'json'))).toEqual({ a: 'say "hi""', b: 'hi"' });
  });

  it('percent-encodes values in url mode', () => {
    expect(renderTemplate(compiled('/apps/{{.x}}'), { x: 'a b/../c?d' }, 'url')).toBe('/apps/a%20b%2F..%2Fc%3Fd');
  });

  it('tells JSON templates from text ones', () => {
    expect(rendersJson(compiled('{"a": "{{.x}}"}'))).toBe(true);
    expect(rendersJson(compiled('name={{.x}}'))).toBe(false);
    expect(jsonShape(compiled('[{"text": "{{.x}}"}]'))).toEqual([{ text: '' }]);
  });
});
