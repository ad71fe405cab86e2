/**
 * One promise chain per key: tasks for the same key run one after another, in call order;
 * tasks for different keys run in parallel. A failing task does not break the chain.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    // Drop the entry once the chain drains, so the map does not grow with every repo ever seen.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** True while a task for `key` runs or waits. */
  isBusy(key: string): boolean {
    return this.tails.has(key);
  }
}
