import type { PagePoint } from '@tupa/signaling/protocol';

// The reader's pointer is sent at most once per animation frame and at most ~30 times a second:
// the latest position wins, older ones in between are never sent. Leaving the page sends null
// at once (cancelling a position still waiting), so the glow on the others' screens goes.

export interface PointerThrottleOptions {
  send(point: PagePoint | null): void;
  /** Minimum time between two sent positions. */
  intervalMs?: number;
  now?: () => number;
  requestFrame?: (callback: () => void) => number;
  cancelFrame?: (handle: number) => void;
}

export class PointerThrottle {
  readonly #send: (point: PagePoint | null) => void;
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #requestFrame: (callback: () => void) => number;
  readonly #cancelFrame: (handle: number) => void;
  #latest: PagePoint | null = null;
  #frame: number | null = null;
  #lastSentAt = Number.NEGATIVE_INFINITY;
  /** Whether the others see a pointer now (so a second "left" sends nothing). */
  #shown = false;

  constructor(options: PointerThrottleOptions) {
    this.#send = options.send;
    this.#intervalMs = options.intervalMs ?? 33;
    this.#now = options.now ?? (() => performance.now());
    this.#requestFrame = options.requestFrame ?? ((callback) => requestAnimationFrame(callback));
    this.#cancelFrame = options.cancelFrame ?? ((handle) => cancelAnimationFrame(handle));
  }

  /** The pointer is at `point` on the page. */
  move(point: PagePoint): void {
    this.#latest = point;
    if (this.#frame === null) this.#frame = this.#requestFrame(() => this.#onFrame());
  }

  /** The pointer left the page. */
  leave(): void {
    this.#cancel();
    this.#latest = null;
    if (!this.#shown) return;
    this.#shown = false;
    this.#send(null);
  }

  /** Stops any pending send (the screen is going away). */
  dispose(): void {
    this.#cancel();
    this.#latest = null;
  }

  #onFrame(): void {
    this.#frame = null;
    const point = this.#latest;
    if (!point) return;
    if (this.#now() - this.#lastSentAt < this.#intervalMs) {
      // Too soon after the last one: try again next frame with whatever is latest then.
      this.#frame = this.#requestFrame(() => this.#onFrame());
      return;
    }
    this.#latest = null;
    this.#lastSentAt = this.#now();
    this.#shown = true;
    this.#send(point);
  }

  #cancel(): void {
    if (this.#frame !== null) this.#cancelFrame(this.#frame);
    this.#frame = null;
  }
}
