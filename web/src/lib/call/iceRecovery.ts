// Restarts ICE on a transport whose connection broke: after it has been 'disconnected' for a
// couple of seconds (a brief blip mends by itself) or at once when it 'failed'. While it stays
// broken the restart is tried again every few seconds; while signaling is down the restart
// request cannot be made, and `retryNow` is called as soon as it is back.

/** The transport connection states mediasoup-client reports (RTCPeerConnectionState). */
export type TransportState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

export interface IceRecoveryOptions {
  /** Asks the server for new ICE parameters and applies them; rejects when that was not possible. */
  restart(): Promise<void>;
  /** How long 'disconnected' may last before a restart. */
  graceMs?: number;
  /** How long to wait after a restart before trying again if the connection is still broken. */
  retryMs?: number;
}

export class IceRecovery {
  readonly #options: IceRecoveryOptions;
  readonly #graceMs: number;
  readonly #retryMs: number;
  #state: TransportState = 'new';
  #timer: ReturnType<typeof setTimeout> | undefined;
  #restarting = false;
  #closed = false;
  /** How many restarts were requested (for logs and tests). */
  restarts = 0;

  constructor(options: IceRecoveryOptions) {
    this.#options = options;
    this.#graceMs = options.graceMs ?? 2_000;
    this.#retryMs = options.retryMs ?? 5_000;
  }

  get state(): TransportState {
    return this.#state;
  }

  get broken(): boolean {
    return this.#state === 'disconnected' || this.#state === 'failed';
  }

  /** Feeds the transport's new connection state. */
  update(state: TransportState): void {
    if (this.#closed) return;
    this.#state = state;
    if (state === 'connected' || state === 'closed') {
      this.#clearTimer();
    } else if (state === 'failed') {
      this.#clearTimer();
      void this.#attempt();
    } else if (state === 'disconnected' && !this.#timer && !this.#restarting) {
      this.#schedule(this.#graceMs);
    }
  }

  /** Signaling is back: restart at once if the connection is (still) broken. */
  retryNow(): void {
    if (this.#closed || !this.broken) return;
    this.#clearTimer();
    void this.#attempt();
  }

  close(): void {
    this.#closed = true;
    this.#clearTimer();
  }

  async #attempt(): Promise<void> {
    if (this.#closed || this.#restarting || !this.broken) return;
    this.#restarting = true;
    this.restarts++;
    try {
      await this.#options.restart();
    } catch (error) {
      console.warn('ICE restart not possible now', error instanceof Error ? error.message : error);
    } finally {
      this.#restarting = false;
    }
    // Still broken a while later (or the request could not be made): try again.
    if (!this.#closed && !this.#timer) this.#schedule(this.#retryMs);
  }

  #schedule(ms: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#attempt();
    }, ms);
  }

  #clearTimer(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
