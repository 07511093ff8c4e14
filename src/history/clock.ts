/**
 * Time as the history importers see it: "now" and "wait". Injected, so rate limits and
 * backoff can be tested on a virtual clock in milliseconds of real time. Nothing read from
 * the clock ever ends up in an output file.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/**
 * A clock that only moves when something sleeps on it: sleeping advances `now` at once.
 * It records every sleep, so a test can check the waits a run asked for.
 */
export class VirtualClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(private t = 0) {}
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    const d = Math.max(0, ms);
    this.sleeps.push(d);
    this.t += d;
  }
}
