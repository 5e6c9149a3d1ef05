import { forbiddenError, invalidStateError, notFoundError } from '../errors.ts';
import type { Role, RoomInfo, StorytimeBook, StorytimeState } from '../protocol/index.ts';

/** Who asks for a storytime change: only their id and their role matter to the rules. */
export interface StorytimeActor {
  readonly id: string;
  readonly role: Role;
}

/** What the storytime needs to know about its room, asked at the moment of each change. */
export interface StorytimeRoom {
  /** The room's kind now (a coordinator may change it while the room is live). */
  kind(): RoomInfo['kind'];
  /** Whether a participant with this id is in the room now. */
  has(peerId: string): boolean;
}

/** The state of a room where no book has been opened yet. */
export function emptyStorytimeState(): StorytimeState {
  return { book: null, page: 1, readerId: null, turnerId: null, version: 0 };
}

/** Rooms where a book may be opened: storytime rooms, and open rooms made from the start page. */
const STORYTIME_KINDS: ReadonlySet<RoomInfo['kind']> = new Set(['storytime', 'open']);

/**
 * One room's shared picture book: which book, which page, who reads and who turns. Every method
 * checks who asks before it changes anything, so a refused request leaves the state exactly as
 * it was; every change raises `version` by one and is reported through `onChange` once.
 */
export class Storytime {
  readonly #room: StorytimeRoom;
  readonly #onChange: (state: StorytimeState, by: string | null) => void;
  #book: StorytimeBook | null = null;
  #page = 1;
  #readerId: string | null = null;
  /** Someone the page turning was handed to; null while the reader turns. */
  #turnerId: string | null = null;
  #version = 0;

  constructor(room: StorytimeRoom, onChange: (state: StorytimeState, by: string | null) => void) {
    this.#room = room;
    this.#onChange = onChange;
  }

  /** The whole state, as a late joiner or a resumed tab should first see it. */
  snapshot(): StorytimeState {
    return {
      book: this.#book ? { ...this.#book } : null,
      page: this.#page,
      readerId: this.#readerId,
      turnerId: this.#turnerId,
      version: this.#version,
    };
  }

  get readerId(): string | null {
    return this.#readerId;
  }

  /** Whoever turns the pages now: the one it was handed to, else the reader. */
  get turnerId(): string | null {
    return this.#turnerId ?? this.#readerId;
  }

  /** Host or reader: shows `book` to everyone at page 1; the opener reads if nobody does. */
  open(actor: StorytimeActor, book: StorytimeBook): StorytimeState {
    this.assertMayOpen(actor);
    this.#book = { bookId: book.bookId, title: book.title, pageCount: book.pageCount, aspectRatio: book.aspectRatio };
    this.#page = 1;
    this.#readerId ??= actor.id;
    return this.#changed(actor.id);
  }

  /** Host or reader: puts the book away. Closing a closed book changes nothing. */
  close(actor: StorytimeActor): StorytimeState {
    this.#assertAllowed();
    this.#assertLeads(actor);
    if (!this.#book) return this.snapshot();
    this.#book = null;
    this.#page = 1;
    return this.#changed(actor.id);
  }

  /** The turner or a host: shows `page` (from 1) to everyone. */
  turn(actor: StorytimeActor, page: number): StorytimeState {
    this.#assertAllowed();
    if (actor.role !== 'host' && actor.id !== this.turnerId) {
      throw forbiddenError('only the one turning the pages may turn them', 'storytime-turner-only');
    }
    const book = this.#assertBook();
    if (!Number.isInteger(page) || page < 1 || page > book.pageCount) {
      throw invalidStateError(`this book has pages 1 to ${book.pageCount}`, 'page-out-of-range');
    }
    if (page === this.#page) return this.snapshot();
    this.#page = page;
    return this.#changed(actor.id);
  }

  /** Host: chooses who reads (null: nobody; any host may then read). The new reader also turns. */
  setReader(actor: StorytimeActor, peerId: string | null): StorytimeState {
    this.#assertAllowed();
    if (actor.role !== 'host') throw forbiddenError('only a host may do this', 'host-only');
    if (peerId !== null) this.#assertPresent(peerId);
    if (peerId === this.#readerId) return this.snapshot();
    this.#readerId = peerId;
    this.#turnerId = null;
    return this.#changed(actor.id);
  }

  /** Reader or host: hands the page turning to someone in the room, or takes it back with null. */
  setTurner(actor: StorytimeActor, peerId: string | null): StorytimeState {
    this.#assertAllowed();
    this.#assertLeads(actor);
    if (peerId !== null) this.#assertPresent(peerId);
    // Handing it to the reader is the same as taking it back.
    const turnerId = peerId === this.#readerId ? null : peerId;
    if (turnerId === this.#turnerId) return this.snapshot();
    this.#turnerId = turnerId;
    return this.#changed(actor.id);
  }

  /** Throws unless `actor` may open a book here: a host or the reader, in a room with storytime. */
  assertMayOpen(actor: StorytimeActor): void {
    this.#assertAllowed();
    this.#assertLeads(actor);
  }

  /** Throws unless `actor` may show where they point: the reader, while a book is open. */
  assertMayPoint(actor: StorytimeActor): void {
    this.#assertAllowed();
    if (actor.id !== this.#readerId) throw forbiddenError('only the reader may point', 'storytime-reader-only');
    this.#assertBook();
  }

  /** Throws unless a "look here" tap makes sense now: storytime is allowed and a book is open. */
  assertMayTap(): void {
    this.#assertAllowed();
    this.#assertBook();
  }

  /**
   * Someone left the room for good (not a reconnect): a reader who leaves leaves nobody reading,
   * and the turning goes back to the reader when its holder leaves.
   */
  peerLeft(peerId: string): void {
    if (peerId === this.#readerId) {
      this.#readerId = null;
      this.#turnerId = null;
    } else if (peerId === this.#turnerId) {
      this.#turnerId = null;
    } else {
      return;
    }
    this.#changed(null);
  }

  #changed(by: string | null): StorytimeState {
    this.#version++;
    const state = this.snapshot();
    this.#onChange(state, by);
    return state;
  }

  #assertAllowed(): void {
    if (!STORYTIME_KINDS.has(this.#room.kind())) {
      throw invalidStateError('this room has no storytime', 'storytime-not-allowed');
    }
  }

  /**
   * Hosts and the reader lead: they open and close books and hand the turning over. A room made
   * from the start page has no hosts, so there, while nobody reads, anyone may take the lead.
   */
  #assertLeads(actor: StorytimeActor): void {
    const unledOpenRoom = this.#room.kind() === 'open' && this.#readerId === null;
    if (actor.role !== 'host' && actor.id !== this.#readerId && !unledOpenRoom) {
      throw forbiddenError('only the reader or a host may do this', 'storytime-reader-only');
    }
  }

  #assertBook(): StorytimeBook {
    if (!this.#book) throw invalidStateError('no book is open', 'storytime-no-book');
    return this.#book;
  }

  #assertPresent(peerId: string): void {
    if (!this.#room.has(peerId)) throw notFoundError('no such participant');
  }
}
