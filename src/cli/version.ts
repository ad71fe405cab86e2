import { readFileSync } from 'node:fs';

/** Capstan's version, from package.json (two levels up from src/cli or dist/cli). */
export function capstanVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  const parsed = JSON.parse(text) as { version?: unknown };
  return typeof parsed.version === 'string' ? parsed.version : '0.0.0';
}
