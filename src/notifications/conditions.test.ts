import { describe, expect, it } from '@jest/globals';
import { evaluateCondition, parseCondition } from './conditions.js';
import { app, synced } from './testing/apps.js';

function holds(text: string, target: unknown): boolean {
  const parsed = parseCondition(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return evaluateCondition(parsed.value, target);
}

describe('parseCondition', () => {
  it('reads comparisons, in, not in, &&, ||, ! and parentheses', () => {
    const parsed = parseCondition("!(app.status.health.status == 'Degraded') && app.status.operationState.phase in ['Succeeded', \"Failed\"] || app.x not in []");
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.kind).toBe('or');
  });

  it.each([
    ['', 'empty'],
    ["app.status.health.status == 'Degraded", 'not closed'],
    ['app.status.retryCount > 2', 'not part of the condition language'],
    ["time.Now() == 'x'", 'is not a field of the app'],
    ["status.health.status == 'Degraded'", 'is not a field of the app'],
    ["app.status.operationState.phase in 'Succeeded'", 'in needs a list literal'],
    ["app.status.phase in [app.status.other]", 'a list holds only'],
    ["app.a == 'x' app.b", 'unexpected "app.b"'],
    ["(app.a == 'x'", 'expected )'],
    ['app.a ==', 'ends too early'],
    ["app.a not 'x'", 'expected in after not'],
    ["app.a == 'x' && && app.b", 'expected a field or a literal'],
    ['app.a == 1', 'not part of the condition language'],
  ])('refuses %j', (text, message) => {
    const parsed = parseCondition(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(message);
  });

  it('refuses conditions that nest too deep or are too long', () => {
    expect(parseCondition(`${'!('.repeat(40)}app.a${')'.repeat(40)}`).ok).toBe(false);
    expect(parseCondition(`app.a == '${'x'.repeat(3000)}'`).ok).toBe(false);
  });
});

describe('evaluateCondition', () => {
  it('matches the operation phase with in', () => {
    expect(holds("app.status.operationState.phase in ['Succeeded']", synced('Succeeded'))).toBe(true);
    expect(holds("app.status.operationState.phase in ['Error', 'Failed']", synced('Failed'))).toBe(true);
    expect(holds("app.status.operationState.phase in ['Error', 'Failed']", synced('Succeeded'))).toBe(false);
    expect(holds("app.status.operationState.phase not in ['Running']", synced('Succeeded'))).toBe(true);
  });

  it('compares health and sync status with == and !=', () => {
    const degraded = synced('Succeeded', { health: 'Degraded' });
    expect(holds("app.status.health.status == 'Degraded'", degraded)).toBe(true);
    expect(holds("app.status.health.status != 'Degraded'", degraded)).toBe(false);
    expect(holds("app.status.sync.status == 'Synced'", degraded)).toBe(true);
  });

  it('combines with &&, || and !, && binding tighter than ||', () => {
    const ok = synced('Succeeded');
    expect(holds("app.status.operationState.phase in ['Succeeded'] && app.status.health.status == 'Healthy'", ok)).toBe(true);
    expect(holds("app.status.health.status == 'Degraded' && app.status.sync.status == 'Synced' || app.metadata.name == 'guestbook'", ok)).toBe(true);
    expect(holds("app.status.health.status == 'Degraded' && (app.status.sync.status == 'Synced' || app.metadata.name == 'guestbook')", ok)).toBe(false);
    expect(holds("!(app.status.health.status == 'Healthy')", ok)).toBe(false);
  });

  it('sees a missing field as null, never as an error', () => {
    expect(holds("app.status.operationState.phase in ['Succeeded']", app())).toBe(false);
    expect(holds('app.status.operationState == nil', app())).toBe(true);
    expect(holds('app.status.operationState.phase.deeper == null', synced('Running'))).toBe(true);
    expect(holds("app.status.operationState.phase != 'Running'", app())).toBe(true);
  });

  it('compares strictly and reads list indexes and booleans', () => {
    const target = { spec: { sources: [{ repoURL: 'https://x' }] }, flag: true, count: 2 };
    expect(holds("app.spec.sources.0.repoURL == 'https://x'", target)).toBe(true);
    expect(holds("app.count == '2'", target)).toBe(false);
    expect(holds('app.flag', target)).toBe(true);
    expect(holds('app.count', target)).toBe(false);
    expect(holds('app.flag == true && !app.missing', target)).toBe(true);
  });

  it('reads escaped quotes in strings', () => {
    expect(holds("app.metadata.name == 'it\\'s'", { metadata: { name: "it's" } })).toBe(true);
  });
});
