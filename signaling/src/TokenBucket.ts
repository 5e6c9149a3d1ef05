/** A token bucket: `capacity` requests at once, refilled at `perSecond`. */
export class TokenBucket {
  #tokens: number;
  #last: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#tokens = capacity;
    this.#last = now();
  }

  /** Takes `count` tokens (one unless said); false, taking none, when the bucket holds fewer. */
  take(count = 1): boolean {
    const now = this.now();
    this.#tokens = Math.min(this.capacity, this.#tokens + ((now - this.#last) / 1000) * this.perSecond);
    this.#last = now;
    if (this.#tokens < count) return false;
    this.#tokens -= count;
    return true;
  }
}
