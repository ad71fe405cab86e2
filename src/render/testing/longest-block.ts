// Test support (not built into dist/): how long the event loop was held at a stretch.

/**
 * Starts measuring the longest time between two turns of the event loop, a timer's view of it.
 * `stop()` also counts the stretch from the last turn to the call, so work that never lets the
 * loop turn at all is measured whole.
 */
export function measureLongestBlock(): { stop: () => number } {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(longest, performance.now() - last);
    },
  };
}
