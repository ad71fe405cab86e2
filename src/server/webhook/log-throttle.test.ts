import { describe, expect, it } from '@jest/globals';
import { LogThrottle } from './log-throttle.js';

describe('LogThrottle', () => {
  it('warns once per key and interval, then says how many were held back', () => {
    let now = 0;
    const lines: { level: string; obj: object }[] = [];
    const log = { info: () => undefined, warn: (obj: object) => lines.push({ level: 'warn', obj }), debug: (obj: object) => lines.push({ level: 'debug', obj }) };
    const throttle = new LogThrottle(60_000, () => now);
    for (let i = 0; i < 3; i++) throttle.warn(log, 'github/signature', { provider: 'github' }, 'rejected');
    throttle.warn(log, 'gitlab/token', { provider: 'gitlab' }, 'rejected');
    now = 60_000;
    throttle.warn(log, 'github/signature', { provider: 'github' }, 'rejected');
    expect(lines).toEqual([
      { level: 'warn', obj: { provider: 'github' } },
      { level: 'debug', obj: { provider: 'github' } },
      { level: 'debug', obj: { provider: 'github' } },
      { level: 'warn', obj: { provider: 'gitlab' } },
      { level: 'warn', obj: { provider: 'github', alsoSince: 2 } },
    ]);
  });
});
