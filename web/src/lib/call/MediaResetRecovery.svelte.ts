import type { RtpCapabilities } from '@tupa/signaling/protocol';
import type { Participants } from './Participants.svelte.ts';
import { StaleWork, type SessionMedia } from './SessionMedia.svelte.ts';

const MAX_MEDIA_REBUILD_ATTEMPTS = 3;

export interface MediaResetRecoveryOptions {
  roomId: string;
  media: SessionMedia;
  participants: Participants;
  /** Whether this tab is in the call (joining, joined or reconnecting). */
  inCall: () => boolean;
  /** Whether this tab is in the call and done joining or resuming. */
  joined: () => boolean;
  /** The session's join attempt now; a rebuild stops when a newer one starts. */
  generation: () => number;
  /** Whether the signaling connection is open now. */
  connected: () => boolean;
}

/**
 * The rebuild after the server's media for the room restarted on a new router (`mediaReset`):
 * every producer is gone, so this tab's media is built again, up to three tries. A reset that
 * comes while joining or resuming waits until that is done, or the rebuild would undo its work.
 */
export class MediaResetRecovery {
  /** The media is being rebuilt. */
  recovering = $state(false);

  readonly #options: MediaResetRecoveryOptions;
  /** A reset that came while joining or resuming, handled once that is done. */
  #pending: RtpCapabilities | null = null;

  constructor(options: MediaResetRecoveryOptions) {
    this.#options = options;
  }

  /** The server's media restarted with these router capabilities: build everything again. */
  async reset(capabilities: RtpCapabilities): Promise<void> {
    const { media, participants } = this.#options;
    if (!this.#options.inCall()) return;
    if (!this.#options.joined()) {
      this.#pending = capabilities;
      return;
    }
    const generation = this.#options.generation();
    const stillWanted = () => generation === this.#options.generation();
    console.warn('the room media restarted; rebuilding', { roomId: this.#options.roomId });
    this.recovering = true;
    participants.forgetProducers();
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await media.build(capabilities, stillWanted);
          return;
        } catch (error) {
          if (error instanceof StaleWork || !stillWanted()) return;
          console.warn('rebuilding media failed', { attempt, error });
          // Without signaling, the resume after reconnecting rebuilds the media instead.
          if (attempt >= MAX_MEDIA_REBUILD_ATTEMPTS || !this.#options.connected()) return;
          await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
          if (!stillWanted()) return;
        }
      }
    } finally {
      if (stillWanted()) this.recovering = false;
    }
  }

  /** Joining or resuming is done: a reset that came meanwhile is handled now. */
  runPending(): void {
    const capabilities = this.#pending;
    this.#pending = null;
    if (capabilities) void this.reset(capabilities);
  }

  /** The media closed: nothing is rebuilt, nothing waits. */
  clear(): void {
    this.recovering = false;
    this.#pending = null;
  }
}
