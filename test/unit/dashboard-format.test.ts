import { describe, expect, it } from '@jest/globals';
import { errorText, errorMessageOf } from '../../src/dashboard/ui/src/api-error.js';
import { shortRevision } from '../../src/dashboard/ui/src/format.js';
import { kindBadge } from '../../src/dashboard/ui/src/kinds.js';
import { relativeTime } from '../../src/dashboard/ui/src/relative-time.js';
import { appHref, diffHref, parseRoute } from '../../src/dashboard/ui/src/routes.js';

const now = Date.parse('2026-06-01T12:00:00Z');
const ago = (seconds: number): string => new Date(now - seconds * 1000).toISOString();

describe('relativeTime', () => {
  it('names the largest whole unit', () => {
    expect(relativeTime(ago(2), now)).toBe('just now');
    expect(relativeTime(ago(42), now)).toBe('42s ago');
    expect(relativeTime(ago(60), now)).toBe('1m ago');
    expect(relativeTime(ago(59 * 60 + 59), now)).toBe('59m ago');
    expect(relativeTime(ago(3 * 3600 + 120), now)).toBe('3h ago');
    expect(relativeTime(ago(2 * 86400), now)).toBe('2d ago');
    expect(relativeTime(ago(70 * 86400), now)).toBe('2mo ago');
    expect(relativeTime(ago(400 * 86400), now)).toBe('1y ago');
  });

  it('says "in" for a time ahead, and nothing for an invalid time', () => {
    expect(relativeTime(ago(-300), now)).toBe('in 5m');
    expect(relativeTime('not a time', now)).toBe('');
  });
});

describe('shortRevision', () => {
  it('shortens a commit to 7 characters and leaves other revisions', () => {
    expect(shortRevision('0123456789abcdef0123456789abcdef01234567')).toBe('0123456');
    expect(shortRevision('1.2.3')).toBe('1.2.3');
    expect(shortRevision(undefined)).toBe('');
  });
});

describe('errorText', () => {
  it('prefixes a 403 with "Forbidden: " once', () => {
    expect(errorText(403, 'applications.capstan.dev "web" is forbidden')).toBe('Forbidden: applications.capstan.dev "web" is forbidden');
    expect(errorText(403, 'Forbidden: no')).toBe('Forbidden: no');
    expect(errorText(409, 'an operation is running')).toBe('an operation is running');
  });

  it('reads the error field, else names the status', () => {
    expect(errorMessageOf({ error: 'nope' }, 500, 'Internal Server Error')).toBe('nope');
    expect(errorMessageOf(undefined, 502, 'Bad Gateway')).toBe('HTTP 502 Bad Gateway');
  });
});

describe('routes', () => {
  it('parses the three views and round-trips names', () => {
    expect(parseRoute('')).toEqual({ view: 'list' });
    expect(parseRoute('#/')).toEqual({ view: 'list' });
    expect(parseRoute(appHref('team a', 'web'))).toEqual({ view: 'app', namespace: 'team a', name: 'web' });
    expect(parseRoute(diffHref('capstan', 'web'))).toEqual({ view: 'diff', namespace: 'capstan', name: 'web' });
    expect(parseRoute('#/apps/capstan/web/other')).toEqual({ view: 'list' });
  });
});

describe('kindBadge', () => {
  it('abbreviates known kinds and falls back to capitals', () => {
    expect(kindBadge('Deployment').label).toBe('deploy');
    expect(kindBadge('CustomResourceDefinition').label).toBe('crd');
    expect(kindBadge('VirtualService')).toEqual({ label: 'vs', family: 'other' });
    expect(kindBadge('Widget').label).toBe('wid');
  });
});
