// Pacing of a worker's calls to X: at most `perApp` visits at a time for one X app (X rate-limits
// and bills per app, and one agency's app must not starve another's), at most `total` for the
// process, and an app X answered 429 waits as a whole until its reset. In-process only: across
// workers the claims and the credential's rateLimitedUntil column do the same job.
export class Pacer {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();
  private readonly pausedUntil = new Map<string, number>();
  private running = 0;
  private readonly globalWaiting: (() => void)[] = [];

  constructor(
    private readonly perApp: number,
    private readonly total: number,
  ) {}

  /** Runs `work` when `app` and the process both have a free slot. */
  async run<T>(app: string, work: () => Promise<T>): Promise<T> {
    await this.acquireApp(app);
    try {
      await this.acquireGlobal();
      const inFlight = (this.inFlight.get(app) ?? 0) + 1;
      this.inFlight.set(app, inFlight);
      this.maxSeen.set(app, Math.max(this.maxSeen.get(app) ?? 0, inFlight));
      try {
        return await work();
      } finally {
        this.inFlight.set(app, (this.inFlight.get(app) ?? 1) - 1);
        this.releaseGlobal();
      }
    } finally {
      this.releaseApp(app);
    }
  }

  /** X answered this app 429: no new calls for it until `until`. */
  pause(app: string, until: Date): void {
    this.pausedUntil.set(app, Math.max(this.pausedUntil.get(app) ?? 0, until.getTime()));
  }

  /** The end of this app's pause, if it is paused at `now`. */
  pausedAt(app: string, now: Date): Date | null {
    const until = this.pausedUntil.get(app);
    return until && until > now.getTime() ? new Date(until) : null;
  }

  private async acquireApp(app: string) {
    const n = this.active.get(app) ?? 0;
    if (n < this.perApp) {
      this.active.set(app, n + 1);
      return;
    }
    await new Promise<void>((resolve) => {
      const queue = this.waiting.get(app) ?? [];
      queue.push(resolve);
      this.waiting.set(app, queue);
    });
  }

  private releaseApp(app: string) {
    const next = this.waiting.get(app)?.shift();
    if (next) return next(); // the slot passes straight to the next waiter
    const n = (this.active.get(app) ?? 1) - 1;
    if (n <= 0) this.active.delete(app);
    else this.active.set(app, n);
  }

  private async acquireGlobal() {
    if (this.running < this.total) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.globalWaiting.push(resolve));
  }

  private releaseGlobal() {
    const next = this.globalWaiting.shift();
    if (next) return next();
    this.running--;
  }

  /** The most visits one app had in flight at once (for tests and the bench). */
  readonly maxSeen = new Map<string, number>();
  private readonly inFlight = new Map<string, number>();
}
