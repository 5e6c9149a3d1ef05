import type { MediaServer } from '@tupa/media-server';
import type { Logger } from 'pino';
import { EndedPlaces, type PlaceEnding } from './EndedPlaces.ts';
import { Room } from './Room.ts';
import type { RoomOptions } from './roomConfig.ts';

/**
 * Every live room, by id: the only registry of live state. Creating a room for an id is
 * serialised, so two people joining at the same instant share one router.
 */
export class RoomRegistry {
  readonly #rooms = new Map<string, Room>();
  readonly #creating = new Map<string, Promise<Room>>();
  readonly #media: MediaServer;
  readonly #options: RoomOptions;
  readonly #logger: Logger;
  /** Places that ended while their tab may have been away, so its return hears why. */
  readonly #ended: EndedPlaces;

  constructor(media: MediaServer, options: RoomOptions, logger: Logger) {
    this.#media = media;
    // A place is kept for the grace period from when the server notices a drop, which may be
    // a heartbeat (up to a minute) after the tab really went; the ending is kept as long.
    this.#ended = new EndedPlaces(options.reconnectGraceMs > 0 ? options.reconnectGraceMs + 60_000 : 0);
    this.#options = {
      ...options,
      placeEnded: (peerId, secret, ending) => {
        this.#ended.remember(peerId, secret, ending);
        options.placeEnded?.(peerId, secret, ending);
      },
    };
    this.#logger = logger;
  }

  get(roomId: string): Room | undefined {
    return this.#rooms.get(roomId);
  }

  get size(): number {
    return this.#rooms.size;
  }

  /** The live room a participant is in, if any. */
  roomWithPeer(peerId: string): Room | undefined {
    for (const room of this.#rooms.values()) if (room.peer(peerId)) return room;
    return undefined;
  }

  /**
   * The live room that keeps a place (participant or lobby guest) for `peerId` with this resume
   * secret, if any; the secret is compared in constant time.
   */
  roomHoldingPlace(peerId: string, secret: string): Room | undefined {
    for (const room of this.#rooms.values()) {
      if (room.hasPlace(peerId)) return room.holdsPlace(peerId, secret) ? room : undefined;
    }
    return undefined;
  }

  /**
   * How a place no live room keeps ended, for the holder of its secret: removed by a host,
   * turned away from the lobby, or the session ended; undefined when it merely lapsed.
   */
  endingOf(peerId: string, secret: string): PlaceEnding | undefined {
    return this.#ended.endingOf(peerId, secret);
  }

  /** Participants across all live rooms. */
  peerCount(): number {
    let total = 0;
    for (const room of this.#rooms.values()) total += room.size;
    return total;
  }

  /** The live room for this id, creating its router if it has none. */
  async getOrCreate(roomId: string): Promise<Room> {
    const live = this.#rooms.get(roomId);
    if (live && !live.closed) return live;
    const pending = this.#creating.get(roomId);
    if (pending) return pending;
    const creation = this.#create(roomId).finally(() => this.#creating.delete(roomId));
    this.#creating.set(roomId, creation);
    return creation;
  }

  /** Closes every room, telling its participants why. */
  closeAll(reason: 'room-closed' | 'server-shutdown'): void {
    for (const room of [...this.#rooms.values()]) room.close(reason);
  }

  async #create(roomId: string): Promise<Room> {
    const createMedia = () => this.#media.createRoomMedia(roomId);
    const room = new Room(roomId, await createMedia(), createMedia, this.#options, this.#logger);
    this.#rooms.set(roomId, room);
    room.once('close', () => {
      if (this.#rooms.get(roomId) === room) this.#rooms.delete(roomId);
    });
    return room;
  }
}
