/** Counts events per key in fixed windows; enough to stop a script from creating rooms in a loop. */
export class FixedWindowCounter {
  readonly #counts = new Map<string, number>();
  #windowStart = Date.now();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Records one event for `key`; false when the key is over its limit in this window. */
  hit(key: string): boolean {
    const now = Date.now();
    if (now - this.#windowStart >= this.windowMs) {
      this.#counts.clear();
      this.#windowStart = now;
    }
    const count = (this.#counts.get(key) ?? 0) + 1;
    this.#counts.set(key, count);
    return count <= this.limit;
  }
}
