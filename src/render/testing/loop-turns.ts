// Test support (not built into dist/): whether long work lets the event loop turn.

/**
 * Counts the turns of the event loop from now until `stop()`: one for each time a macrotask
 * (here, setImmediate) got to run. Work that never yields counts none, however long it takes;
 * work cut into slices counts one or more per slice. A count, not a time, so a loaded machine
 * does not change the verdict.
 */
export function countLoopTurns(): { stop: () => number } {
  let turns = 0;
  let running = true;
  const tick = (): void => {
    if (!running) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  return {
    stop: () => {
      running = false;
      return turns;
    },
  };
}
