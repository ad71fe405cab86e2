import { describe, expect, it } from '@jest/globals';
import { describeCondition, parseConditions, statusConditions } from './status-conditions.js';

describe('parseConditions', () => {
  it('keeps typed entries, reading an odd status as Unknown and missing text as empty', () => {
    expect(
      parseConditions([
        { type: 'Ready', status: 'True', reason: 'Done', message: 'all good', observedGeneration: 3 },
        { type: 'Stalled', status: 'maybe' },
        { status: 'True' },
        { type: '' },
        'Ready',
        null,
      ]),
    ).toEqual([
      { type: 'Ready', status: 'True', reason: 'Done', message: 'all good', observedGeneration: 3 },
      { type: 'Stalled', status: 'Unknown', reason: '', message: '' },
    ]);
  });

  it('reads anything but a list as no conditions', () => {
    expect(parseConditions({ type: 'Ready' })).toEqual([]);
    expect(statusConditions({ status: { conditions: 'Ready' } })).toEqual([]);
    expect(statusConditions({})).toEqual([]);
  });
});

describe('describeCondition', () => {
  const base = { type: 'Ready', status: 'False' } as const;
  it.each([
    ['Failed', 'disk full', 'Failed: disk full'],
    ['', 'disk full', 'disk full'],
    ['Failed', '', 'Failed'],
    ['', '', 'fallback'],
  ])('reason %j and message %j read %j', (reason, message, expected) => {
    expect(describeCondition({ ...base, reason, message }, 'fallback')).toBe(expected);
  });
});
