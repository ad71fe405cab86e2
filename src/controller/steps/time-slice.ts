import { setImmediate as nextTurn } from 'node:timers/promises';

/** Longest stretch of work before other work (watches, webhooks, lease renewals) gets a turn, in ms. */
const SLICE_MS = 10;

/**
 * Cuts a long run of small synchronous steps into slices of a few milliseconds. Await `pause()`
 * before each step: within a slice it goes on at once, after one it waits for a later turn of
 * the event loop. One slicer may be shared by steps that run concurrently.
 */
export class TimeSlicer {
  private sliceStart = performance.now();

  constructor(private readonly sliceMs = SLICE_MS) {}

  async pause(): Promise<void> {
    while (performance.now() - this.sliceStart > this.sliceMs) {
      await nextTurn();
      // The first step to resume starts a new slice; the others resumed with it share that slice.
      if (performance.now() - this.sliceStart > this.sliceMs) this.sliceStart = performance.now();
    }
  }
}
