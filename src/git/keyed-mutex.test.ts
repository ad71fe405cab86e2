import { describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { KeyedMutex } from './keyed-mutex.js';

describe('KeyedMutex', () => {
  it('runs tasks of one key one at a time, in call order', async () => {
    const mutex = new KeyedMutex();
    const events: string[] = [];
    const task = (name: string, ms: number) => async () => {
      events.push(`start ${name}`);
      await sleep(ms);
      events.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([mutex.run('repo', task('a', 20)), mutex.run('repo', task('b', 1)), mutex.run('repo', task('c', 5))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('runs tasks of different keys in parallel', async () => {
    const mutex = new KeyedMutex();
    let running = 0;
    let peak = 0;
    const task = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await sleep(10);
      running -= 1;
    };
    await Promise.all([mutex.run('a', task), mutex.run('b', task), mutex.run('c', task)]);
    expect(peak).toBe(3);
  });

  it('keeps the chain going after a failing task, and forgets a drained key', async () => {
    const mutex = new KeyedMutex();
    const failing = mutex.run('repo', () => Promise.reject(new Error('boom')));
    const next = mutex.run('repo', () => Promise.resolve('after'));
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('after');
    await sleep(0);
    expect(mutex.isBusy('repo')).toBe(false);
  });
});
