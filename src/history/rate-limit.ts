/**
 * A client-side request budget: at most `perMinute` requests start in any 60-second window.
 * A sliding window (rather than even spacing) lets a short import send its first few requests
 * at once and still never exceed what the server allows per minute, however it counts.
 */
import type { Clock } from './clock.ts';

const WINDOW_MS = 60_000;

export class RateLimiter {
  /** Start times of the requests inside the current window, oldest first. */
  private readonly starts: number[] = [];
  private readonly slots: number;
  private readonly spacingMs: number;

  constructor(perMinute: number, private readonly clock: Clock) {
    if (!(perMinute > 0) || !Number.isFinite(perMinute)) throw new RangeError(`requests per minute must be > 0, got ${perMinute}`);
    // Fewer than one request a minute (e.g. 0.5) means one request every 60/perMinute s.
    this.slots = Math.max(1, Math.floor(perMinute));
    this.spacingMs = perMinute < 1 ? WINDOW_MS / perMinute : WINDOW_MS;
  }

  /** Waits until a request may start, then counts it as started. */
  async take(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      while (this.starts.length > 0 && now - this.starts[0]! >= this.spacingMs) this.starts.shift();
      if (this.starts.length < this.slots) {
        this.starts.push(now);
        return;
      }
      await this.clock.sleep(this.starts[0]! + this.spacingMs - now);
    }
  }
}
