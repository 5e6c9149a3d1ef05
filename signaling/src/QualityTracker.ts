/**
 * Turns mediasoup's per-producer scores (0-10, several a second) into one score per
 * participant: the weakest of their producers. Changes are passed on at most once per
 * `minIntervalMs` per participant, so a flapping link does not flood the room.
 */
export class QualityTracker {
  readonly #scores = new Map<string, Map<string, number>>();
  readonly #sent = new Map<string, number>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #lastSentAt = new Map<string, number>();

  constructor(
    private readonly onChange: (peerId: string, score: number) => void,
    private readonly minIntervalMs = 1000,
  ) {}

  update(peerId: string, producerId: string, score: number): void {
    let producers = this.#scores.get(peerId);
    if (!producers) {
      producers = new Map();
      this.#scores.set(peerId, producers);
    }
    producers.set(producerId, score);
    this.#schedule(peerId);
  }

  removeProducer(peerId: string, producerId: string): void {
    this.#scores.get(peerId)?.delete(producerId);
  }

  /** The participant left: forget everything about them. */
  forget(peerId: string): void {
    this.#scores.delete(peerId);
    this.#sent.delete(peerId);
    this.#lastSentAt.delete(peerId);
    clearTimeout(this.#timers.get(peerId));
    this.#timers.delete(peerId);
  }

  score(peerId: string): number | undefined {
    const producers = this.#scores.get(peerId);
    if (!producers || producers.size === 0) return undefined;
    return Math.min(...producers.values());
  }

  close(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  #schedule(peerId: string): void {
    if (this.#timers.has(peerId)) return;
    const wait = Math.max(0, (this.#lastSentAt.get(peerId) ?? -Infinity) + this.minIntervalMs - Date.now());
    const timer = setTimeout(() => {
      this.#timers.delete(peerId);
      const score = this.score(peerId);
      if (score === undefined || score === this.#sent.get(peerId)) return;
      this.#sent.set(peerId, score);
      this.#lastSentAt.set(peerId, Date.now());
      this.onChange(peerId, score);
    }, wait);
    timer.unref();
    this.#timers.set(peerId, timer);
  }
}
