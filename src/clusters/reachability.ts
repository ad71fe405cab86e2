/**
 * Whether a cluster answers, from the requests made to it anyway: any HTTP answer counts, a
 * connection that fails (or a gateway that answers for an absent server) makes it suspect. A
 * suspect cluster, or one not heard from for `freshMs`, is probed once before it is used again.
 */
export class Reachability {
  private lastAnswerAt = Number.NEGATIVE_INFINITY;
  private lastError: string | undefined;
  private probing: Promise<void> | undefined;

  constructor(
    private readonly probe: () => Promise<void>,
    private readonly now: () => number = Date.now,
    private readonly freshMs = 15_000,
  ) {}

  /** Records the outcome of one request (HTTP status, 0 when no answer came). */
  observe(status: number): void {
    if (status === 0 || status === 502 || status === 503 || status === 504) this.lastAnswerAt = Number.NEGATIVE_INFINITY;
    else {
      this.lastAnswerAt = this.now();
      this.lastError = undefined;
    }
  }

  /** Undefined when the cluster answers now; else why not. */
  async check(): Promise<string | undefined> {
    if (this.now() - this.lastAnswerAt < this.freshMs) return undefined;
    this.probing ??= this.probe().then(() => {
      this.lastAnswerAt = this.now();
      this.lastError = undefined;
    }, (err: unknown) => {
      this.lastAnswerAt = Number.NEGATIVE_INFINITY;
      this.lastError = err instanceof Error ? err.message : String(err);
    }).finally(() => {
      this.probing = undefined;
    });
    await this.probing;
    return this.now() - this.lastAnswerAt < this.freshMs ? undefined : (this.lastError ?? 'no answer');
  }

  /** What is known without asking: reachable, unreachable (with why) or not yet known. */
  get state(): { readonly reachable: boolean | undefined; readonly error?: string } {
    if (this.now() - this.lastAnswerAt < this.freshMs) return { reachable: true };
    if (this.lastError !== undefined) return { reachable: false, error: this.lastError };
    return { reachable: undefined };
  }
}
