// Tells the server how each remote camera picture is shown, so that it sends no video for a tile
// that is off screen (or a tab in the background) and the simulcast layer that fits the tile's
// height. Changes are debounced (a resize fires many times) and only real changes are sent.

/** Where a remote tile is: on screen or not, and its height in device pixels. */
export interface TilePlacement {
  visible: boolean;
  height: number;
}

export interface TilePreferencesOptions {
  /** Sends one consumer's preferences; rejects when the request failed. */
  send(consumerId: string, placement: TilePlacement): Promise<void>;
  /** The id of the consumer that currently carries `peerId`'s camera, if any. */
  consumerOf(peerId: string): string | undefined;
  debounceMs?: number;
}

interface Sent {
  consumerId: string;
  visible: boolean;
  height: number;
}

export class TilePreferences {
  readonly #options: TilePreferencesOptions;
  readonly #debounceMs: number;
  readonly #wanted = new Map<string, TilePlacement>();
  readonly #sent = new Map<string, Sent>();
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(options: TilePreferencesOptions) {
    this.#options = options;
    this.#debounceMs = options.debounceMs ?? 300;
  }

  /** A tile appeared, moved, changed size or went out of sight. */
  place(peerId: string, placement: TilePlacement): void {
    this.#wanted.set(peerId, { visible: placement.visible, height: Math.round(placement.height) });
    clearTimeout(this.#timers.get(peerId));
    this.#timers.set(
      peerId,
      setTimeout(() => {
        this.#timers.delete(peerId);
        void this.#flush(peerId).catch((error: unknown) => console.warn('tile preferences not sent', error));
      }, this.#debounceMs),
    );
  }

  /** Sends `peerId`'s placement at once, for a consumer that was just created (before it flows). */
  async applyNow(peerId: string): Promise<void> {
    clearTimeout(this.#timers.get(peerId));
    this.#timers.delete(peerId);
    await this.#flush(peerId);
  }

  /** Sends whatever differs from what the server last heard (after a reconnect). */
  flushAll(): void {
    for (const peerId of this.#wanted.keys()) {
      void this.#flush(peerId).catch((error: unknown) => console.warn('tile preferences not sent', error));
    }
  }

  /** The consumers were rebuilt: nothing the server heard before still applies. */
  forgetSent(): void {
    this.#sent.clear();
  }

  /** The participant left. */
  forget(peerId: string): void {
    clearTimeout(this.#timers.get(peerId));
    this.#timers.delete(peerId);
    this.#wanted.delete(peerId);
    this.#sent.delete(peerId);
  }

  /** The call is over: stop every pending send. */
  clear(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    this.#wanted.clear();
    this.#sent.clear();
  }

  async #flush(peerId: string): Promise<void> {
    const wanted = this.#wanted.get(peerId);
    const consumerId = this.#options.consumerOf(peerId);
    if (!wanted || !consumerId) return;
    // A visible tile that has no height yet is not laid out; its size will follow.
    if (wanted.visible && wanted.height <= 0) return;
    const last = this.#sent.get(peerId);
    const same =
      last?.consumerId === consumerId &&
      last.visible === wanted.visible &&
      (!wanted.visible || last.height === wanted.height);
    if (same) return;
    const sent: Sent = { consumerId, visible: wanted.visible, height: wanted.height };
    this.#sent.set(peerId, sent);
    try {
      await this.#options.send(consumerId, wanted);
    } catch (error) {
      // Not heard: the next change, or the flush after a reconnect, tries again.
      if (this.#sent.get(peerId) === sent) this.#sent.delete(peerId);
      throw error;
    }
  }
}
