import { describe, expect, it } from '@jest/globals';
import { printable, pushReason } from './describe-push.js';

describe('pushReason', () => {
  it('names provider, ref, short commit and sender', () => {
    const reason = pushReason({
      provider: 'github',
      repoUrls: ['https://github.com/acme/deploy-config.git'],
      ref: 'refs/heads/main',
      revision: 'abc1234def5678abc1234def5678abc1234def56',
      sender: 'octocat',
    });
    expect(reason).toBe('webhook: github push to refs/heads/main (abc1234) by octocat');
  });

  it('leaves out what the payload does not give, and keeps a revision that is not a SHA', () => {
    expect(pushReason({ provider: 'generic', repoUrls: ['x'] })).toBe('webhook: generic push');
    expect(pushReason({ provider: 'generic', repoUrls: ['x'], revision: 'main' })).toBe('webhook: generic push (main)');
  });
});

describe('printable', () => {
  it('drops control characters and bounds the length', () => {
    expect(printable('evil\nline\u0000')).toBe('evilline');
    expect(printable('x'.repeat(150))).toBe(`${'x'.repeat(99)}…`);
  });
});
