import { describe, expect, it } from '@jest/globals';
import { formatNotifiedRecord, maxRecordedSlots, parseNotifiedRecord } from './record.js';

describe('the notified record', () => {
  it('reads back what it wrote, sorted', () => {
    const text = formatNotifiedRecord(new Map([['b:0:s:', '2'], ['a:0:s:', '1']]));
    expect(text).toBe('{"a:0:s:":"1","b:0:s:":"2"}');
    expect(parseNotifiedRecord(text)).toEqual(new Map([['a:0:s:', '1'], ['b:0:s:', '2']]));
  });

  it('is absent when empty', () => {
    expect(formatNotifiedRecord(new Map())).toBeUndefined();
  });

  it.each(['', 'not json', '[1,2]', 'null', '"x"', '{"a": 1}'])('reads %p as nothing notified', (text) => {
    expect(parseNotifiedRecord(text)).toEqual(new Map());
  });

  it('keeps at most a bounded number of slots', () => {
    const big = JSON.stringify(Object.fromEntries(Array.from({ length: maxRecordedSlots + 10 }, (_, i) => [`s${i}`, 'x'])));
    expect(parseNotifiedRecord(big).size).toBe(maxRecordedSlots);
  });
});
