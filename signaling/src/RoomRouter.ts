import type { RoomMedia } from '@tupa/media-server';
import type { Logger } from 'pino';
import type { RtpCapabilities } from './protocol/index.ts';

/** What the router tells its room. */
export interface RoomRouterOwner {
  /** The participant who has been the loudest for a while. */
  activeSpeaker(peerId: string): void;
  /** The new router is ready: everyone needs media on it. */
  moved(media: RoomMedia): void;
  /** The router closed for good, or no new one could be made: the room must close. */
  gone(): void;
}

/**
 * A room's current router (its RoomMedia). If the worker under it dies, a new router is made
 * elsewhere and the room is told to move everyone there; until then `whenReady` waits.
 */
export class RoomRouter {
  readonly #createMedia: () => Promise<RoomMedia>;
  readonly #owner: RoomRouterOwner;
  readonly #logger: Logger;
  #media: RoomMedia;
  #ready: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(media: RoomMedia, createMedia: () => Promise<RoomMedia>, owner: RoomRouterOwner, logger: Logger) {
    this.#media = media;
    this.#createMedia = createMedia;
    this.#owner = owner;
    this.#logger = logger;
    this.#wire(media);
  }

  get media(): RoomMedia {
    return this.#media;
  }

  get rtpCapabilities(): RtpCapabilities {
    return this.#media.rtpCapabilities as RtpCapabilities;
  }

  /** Resolves when there is a working router (at once, unless one is being made). */
  whenReady(): Promise<void> {
    return this.#ready;
  }

  /** Closes the router, and one still being made as soon as it is. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#media.close();
  }

  #wire(media: RoomMedia): void {
    media.once('close', (reason) => {
      if (this.#closed || media !== this.#media) return;
      if (reason === 'worker-died') this.#rebuild();
      else this.#owner.gone();
    });
    media.on('activespeaker', (peerId) => {
      if (media === this.#media) this.#owner.activeSpeaker(peerId);
    });
  }

  #rebuild(): void {
    this.#logger.warn('room media lost with its worker, moving to a new router');
    this.#ready = (async () => {
      const media = await this.#createMedia();
      if (this.#closed) {
        media.close();
        return;
      }
      this.#media = media;
      this.#wire(media);
      this.#owner.moved(media);
    })().catch((error: unknown) => {
      this.#logger.error({ err: error }, 'room media could not be rebuilt');
      this.#owner.gone();
    });
  }
}
