import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** git and its helpers (git-remote-http, git-upload-pack, ...), and the ssh that git starts for an ssh remote. */
const watchedProgram = /^(git(-|$)|ssh$)/;

/**
 * Polls /proc for the git and ssh processes that descend from one process, and keeps the
 * command line of each one seen: what anyone on the machine could read.
 */
export class GitProcessWatch {
  /** pid → command line (arguments joined by spaces). */
  readonly seen = new Map<number, string>();
  private timer: NodeJS.Timeout | undefined;
  private waiting: Array<() => void> = [];

  constructor(private readonly ancestor: number, private readonly intervalMs = 10) {}

  start(): this {
    this.timer = setInterval(() => {
      this.poll();
    }, this.intervalMs);
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.release();
  }

  /**
   * Resolves once a whole pass over /proc has started and ended after this call (at once when
   * stopped): every process alive throughout that time has been seen.
   */
  nextPoll(): Promise<void> {
    if (this.timer === undefined) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiting.push(resolve);
    });
  }

  private poll(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      if (this.seen.has(pid)) continue;
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
        if (!watchedProgram.test(basename(argv[0] ?? ''))) continue;
        if (this.descends(pid)) this.seen.set(pid, argv.join(' '));
      } catch {
        /* exited meanwhile */
      }
    }
    for (const resolve of waiting) resolve();
  }

  private release(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  private descends(pid: number): boolean {
    for (let current = pid, hops = 0; current > 1 && hops < 64; hops++) {
      const stat = readFileSync(`/proc/${current}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === this.ancestor) return true;
      current = parent;
    }
    return false;
  }
}
