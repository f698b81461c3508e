/**
 * Failed password attempts per API key, so a stolen key cannot be used to guess the step-up
 * password: after `max` failures within `windowMs`, step-up is refused until the window passes.
 * In memory: a restart resets it, which bounds guessing to `max` per window per process.
 */
export class AttemptLimiter {
  private readonly failures = new Map<string, number[]>();
  constructor(
    private readonly max = 5,
    private readonly windowMs = 15 * 60_000,
  ) {}

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Milliseconds until another attempt is allowed, 0 when allowed now. */
  blockedFor(key: string, now: number): number {
    const list = this.recent(key, now);
    return list.length >= this.max ? this.windowMs - (now - list[0]!) : 0;
  }

  fail(key: string, now: number): void {
    this.failures.set(key, [...this.recent(key, now), now]);
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }
}
