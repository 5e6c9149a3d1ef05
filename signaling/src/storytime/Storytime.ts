import { assertAllowed, invalidStateError, notFoundError } from '../errors.ts';
import {
  mayCloseBook,
  mayOpenBook,
  maySetReader,
  maySetTurner,
  mayTurnPage,
  type Role,
  type RoomInfo,
  type StorytimeBook,
  type StorytimeSituation,
  type StorytimeState,
} from '../protocol/index.ts';

/** Who asks for a storytime change: only their id and their role matter to the rules. */
export interface StorytimeActor {
  readonly id: string;
  readonly role: Role;
}

/** What the storytime needs to know about its room, asked at the moment of each change. */
export interface StorytimeRoom {
  /**
   * The room's kind now (a coordinator may change it while the room is live), and whether it
   * was made from the start page.
   */
  rules(): Pick<RoomInfo, 'kind' | 'madeFromStartPage'>;
  /** Whether a participant with this id is in the room now. */
  has(peerId: string): boolean;
}

/** The state of a room where no book has been opened yet. */
export function emptyStorytimeState(): StorytimeState {
  return { book: null, page: 1, readerId: null, turnerId: null, version: 0 };
}

/**
 * One room's shared picture book: which book, which page, who reads and who turns. Every method
 * asks the permission table (protocol/permissions.ts) about who asks before it changes anything,
 * and checks the rest itself (presence, page range), so a refused request leaves the state
 * exactly as it was; every change raises `version` by one and is reported through `onChange` once.
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

  /**
   * What the permission table (protocol/permissions.ts) needs to decide for `actor` now: the
   * room's kind at this moment and who reads and turns.
   */
  situation(actor: StorytimeActor): StorytimeSituation {
    return {
      actor,
      room: this.#room.rules(),
      storytime: { book: this.#book, readerId: this.#readerId, turnerId: this.#turnerId },
    };
  }

  /** Host or reader (anyone in an open room nobody reads in): shows `book` to everyone at page 1; the opener reads if nobody does. */
  open(actor: StorytimeActor, book: StorytimeBook): StorytimeState {
    assertAllowed(mayOpenBook(this.situation(actor)));
    this.#book = { bookId: book.bookId, title: book.title, pageCount: book.pageCount, aspectRatio: book.aspectRatio };
    this.#page = 1;
    this.#readerId ??= actor.id;
    return this.#changed(actor.id);
  }

  /** As `open`: puts the book away. Closing a closed book changes nothing. */
  close(actor: StorytimeActor): StorytimeState {
    assertAllowed(mayCloseBook(this.situation(actor)));
    if (!this.#book) return this.snapshot();
    this.#book = null;
    this.#page = 1;
    return this.#changed(actor.id);
  }

  /** The turner or a host: shows `page` (from 1) to everyone. */
  turn(actor: StorytimeActor, page: number): StorytimeState {
    assertAllowed(mayTurnPage(this.situation(actor)));
    const book = this.#book;
    if (!book) throw new Error('mayTurnPage allowed turning with no book open');
    if (!Number.isInteger(page) || page < 1 || page > book.pageCount) {
      throw invalidStateError(`this book has pages 1 to ${book.pageCount}`, 'page-out-of-range');
    }
    if (page === this.#page) return this.snapshot();
    this.#page = page;
    return this.#changed(actor.id);
  }

  /** Host: chooses who reads (null: nobody; any host may then read). The new reader also turns. */
  setReader(actor: StorytimeActor, peerId: string | null): StorytimeState {
    assertAllowed(maySetReader(this.situation(actor)));
    if (peerId !== null) this.#assertPresent(peerId);
    if (peerId === this.#readerId) return this.snapshot();
    this.#readerId = peerId;
    this.#turnerId = null;
    return this.#changed(actor.id);
  }

  /** As `open`: hands the page turning to someone in the room, or takes it back with null. */
  setTurner(actor: StorytimeActor, peerId: string | null): StorytimeState {
    assertAllowed(maySetTurner(this.situation(actor)));
    if (peerId !== null) this.#assertPresent(peerId);
    // Handing it to the reader is the same as taking it back.
    const turnerId = peerId === this.#readerId ? null : peerId;
    if (turnerId === this.#turnerId) return this.snapshot();
    this.#turnerId = turnerId;
    return this.#changed(actor.id);
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

  #assertPresent(peerId: string): void {
    if (!this.#room.has(peerId)) throw notFoundError('no such participant');
  }
}
