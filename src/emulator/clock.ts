/**
 * The emulator's clock. Salesforce stores datetimes with whole seconds (`.000` milliseconds), so
 * records written in the same second share a SystemModstamp — exactly the ties incremental sync
 * must survive. Tests may shift the clock forward (control API) instead of sleeping.
 */
export class Clock {
  private offsetMs = 0;
  private pinned: number | undefined;

  /** Current time in epoch ms, truncated to whole seconds. */
  now(): number {
    const t = this.pinned ?? Date.now() + this.offsetMs;
    return t - (t % 1000);
  }

  /** Current time with milliseconds (token issued_at, request timing). */
  nowPrecise(): number {
    return this.pinned ?? Date.now() + this.offsetMs;
  }

  /** Moves the clock forward (or back) by `ms`. */
  advance(ms: number): void {
    if (this.pinned !== undefined) this.pinned += ms;
    else this.offsetMs += ms;
  }

  /** Freezes the clock at `ms` (undefined unfreezes, keeping the current offset). */
  pin(ms: number | undefined): void {
    if (ms === undefined && this.pinned !== undefined) this.offsetMs = this.pinned - Date.now();
    this.pinned = ms;
  }
}
