import type {
  ActionName,
  NotificationName,
  NotificationPayload,
  PagePoint,
  ReplyData,
  RequestPayload,
  Role,
  RoomInfo,
  StorytimeState,
} from '@tupa/signaling/protocol';
import type { storytimeRequestSchemas } from '@tupa/signaling/protocol';
import { offers } from '../call/offers.ts';
import {
  applyServerState,
  clampPage,
  emptyView,
  followReader,
  lookAt,
  shownPage,
  startLooking,
  turnerOf,
  type FollowView,
} from './follow.ts';
import { pageImageUrl, pagesToPreload, type PageImageSize } from './pageImages.ts';
import { PointerThrottle } from './pointerThrottle.ts';

export type StorytimeRequestName = keyof typeof storytimeRequestSchemas;

/** How long a "look here" ring stays on the reader's screen. */
export const LOOK_HERE_MS = 2500;
/** How many preloaded page pictures are kept referenced (the browser caches the rest). */
const PRELOAD_KEEP = 12;

export interface StorytimeSessionOptions {
  request<K extends StorytimeRequestName>(name: K, payload: RequestPayload<K>): Promise<ReplyData<K>>;
  /** This tab's own peer id, once joined. */
  selfId(): string | null;
  /** This tab's role in the room, once the server has said. */
  role(): Role | null;
  /** The room as the server describes it, once joined. */
  room(): Pick<RoomInfo, 'kind' | 'madeFromStartPage' | 'chatEnabled' | 'childrenPresent'> | null;
}

/** The notifications storytime follows; `on` returns the function that stops listening. */
export interface StorytimeNotifications {
  on<K extends NotificationName>(name: K, handler: (payload: NotificationPayload<K>) => void): () => void;
}

/** The reader's pointer on this screen. `moved` rises with each movement, so the glow can fade. */
export interface RemotePointer {
  peerId: string;
  point: PagePoint;
  moved: number;
}

/** Someone tapped the page: shown briefly to the reader. */
export interface LookHere {
  id: number;
  peerId: string;
  point: PagePoint;
}

/**
 * The room's picture book as this tab sees it: the server's state (older updates dropped), the
 * page shown here (following the reader, or looking around alone), the reader's pointer, the
 * "look here" taps, and the requests to open, turn, close and hand over. The next pages are
 * fetched ahead so a turn shows at once.
 */
export class StorytimeSession {
  #view = $state.raw<FollowView>(emptyView);
  /** The page this tab asked for and is already showing, until the server confirms it. */
  #turning = $state<number | null>(null);
  #turnsInFlight = 0;
  pointer = $state.raw<RemotePointer | null>(null);
  lookHeres = $state.raw<LookHere[]>([]);
  /** The book shelf is open on this screen. */
  pickerOpen = $state(false);
  /** The picture size that suits the stage (small when the stage is small). */
  imageSize = $state<PageImageSize>('large');

  readonly #options: StorytimeSessionOptions;
  readonly #pointerOut: PointerThrottle;
  readonly #preloaded = new Map<string, HTMLImageElement>();
  #pointerMoves = 0;
  #lookHereIds = 0;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(options: StorytimeSessionOptions) {
    this.#options = options;
    this.#pointerOut = new PointerThrottle({
      send: (point) => {
        void this.#options.request('pointAt', { point }).catch((error: unknown) => console.debug('pointAt not sent', error));
      },
    });
  }

  /** The state as the server last said, or null before joining. */
  get state(): StorytimeState | null {
    return this.#view.server;
  }

  get book(): StorytimeState['book'] {
    return this.#view.server?.book ?? null;
  }

  /** The page shown on this screen. */
  get page(): number {
    if (this.#turning !== null && !this.#view.looking) return this.#turning;
    return shownPage(this.#view);
  }

  /** The page everyone following the reader sees. */
  get readersPage(): number {
    return this.#turning ?? this.#view.server?.page ?? 1;
  }

  /** Looking around the book alone (a listener). */
  get looking(): boolean {
    return this.#view.looking;
  }

  get readerId(): string | null {
    return this.#view.server?.readerId ?? null;
  }

  /** Who turns the pages now (the reader unless handed to someone). */
  get turnerId(): string | null {
    return turnerOf(this.#view.server);
  }

  get isReader(): boolean {
    const self = this.#options.selfId();
    return self !== null && this.readerId === self;
  }

  /** This tab turns the pages for everyone. */
  get canTurn(): boolean {
    return this.#offers('turnPage');
  }

  /**
   * This tab may choose a book (open one, or another): a host or the reader, and anyone in an
   * open room nobody reads in (see protocol/permissions.ts).
   */
  get canChoose(): boolean {
    return this.#offers('openBook');
  }

  /** This tab may put the book away. */
  get canClose(): boolean {
    return this.#offers('closeBook');
  }

  /** This tab may hand the page turning to someone, or take it back. */
  get canHandOver(): boolean {
    return this.#offers('setTurner');
  }

  /** This tab may choose who reads (hosts). */
  get canChooseReader(): boolean {
    return this.#offers('setReader');
  }

  /** This tab's pointer on the page is shown to the others (the reader). */
  get canPoint(): boolean {
    return this.#offers('pointAt');
  }

  /** A tap on the page here is a "look here" for the reader (everyone but the reader). */
  get canLookHere(): boolean {
    return this.#offers('lookHere');
  }

  /** Whether the permission table lets this tab do `action` now; false before the first state. */
  #offers(action: ActionName): boolean {
    const state = this.#view.server;
    if (!state) return false;
    return offers({ selfId: this.#options.selfId(), role: this.#options.role(), room: this.#options.room(), storytime: state }, action);
  }

  /** The URL of a page's picture in the size that suits this screen. */
  imageUrl(page: number, size: PageImageSize = this.imageSize): string {
    return this.book ? pageImageUrl(this.book.bookId, page, size) : '';
  }

  /** Follows the room's storytime notifications. */
  listen(connection: StorytimeNotifications): void {
    connection.on('storytimeChanged', ({ state }) => this.apply(state));
    connection.on('storytimePointer', ({ peerId, point }) => {
      if (peerId === this.#options.selfId()) return;
      this.pointer = point ? { peerId, point, moved: ++this.#pointerMoves } : null;
    });
    connection.on('storytimeLookHere', ({ peerId, point }) => this.#showLookHere(peerId, point));
  }

  /** A state from the server; `fresh` (a join reply) replaces whatever came before. */
  apply(state: StorytimeState, fresh = false): void {
    const next = applyServerState(this.#view, state, fresh);
    if (!next) return;
    if (next.server?.book?.bookId !== this.book?.bookId) this.pointer = null;
    if (!next.server?.book) this.lookHeres = [];
    this.#setView(next);
  }

  // --- turning ---------------------------------------------------------------------------------

  /** Shows `page` to everyone (the turner), or only here while looking around (a listener). */
  async turnTo(page: number): Promise<void> {
    const book = this.book;
    if (!book) return;
    const target = clampPage(page, book.pageCount);
    if (this.#view.looking) {
      this.#setView(lookAt(this.#view, target));
      return;
    }
    if (!this.canTurn || target === this.readersPage) return;
    // Shown here at once; the server's answer confirms it (or puts back the true page).
    this.#turning = target;
    this.#preload();
    this.#turnsInFlight++;
    try {
      this.apply(await this.#options.request('turnPage', { page: target }));
    } catch (error) {
      console.warn('turning the page failed', error);
    } finally {
      if (--this.#turnsInFlight === 0) this.#turning = null;
    }
  }

  next(): Promise<void> {
    return this.turnTo(this.page + 1);
  }

  previous(): Promise<void> {
    return this.turnTo(this.page - 1);
  }

  /** A listener starts looking around the book on their own. */
  startLooking(): void {
    if (this.canTurn) return;
    this.#setView(startLooking(this.#view));
  }

  /** Back to the page the reader is on, and following again. */
  followReader(): void {
    this.#setView(followReader(this.#view));
  }

  // --- the book and the people ---------------------------------------------------------------

  async openBook(bookId: string): Promise<void> {
    this.apply(await this.#options.request('openBook', { bookId }));
    this.pickerOpen = false;
  }

  async closeBook(): Promise<void> {
    this.apply(await this.#options.request('closeBook', {}));
  }

  /** Gives the page turning to `peerId`, or takes it back to the reader with null. */
  async setTurner(peerId: string | null): Promise<void> {
    this.apply(await this.#options.request('setTurner', { peerId }));
  }

  /** Hosts: makes `peerId` the reader. */
  async setReader(peerId: string | null): Promise<void> {
    this.apply(await this.#options.request('setReader', { peerId }));
  }

  // --- pointing --------------------------------------------------------------------------------

  /** The reader's finger or mouse is at `point` on the page (null: it left). */
  pointAt(point: PagePoint | null): void {
    if (!this.canPoint) return;
    if (point) this.#pointerOut.move(point);
    else this.#pointerOut.leave();
  }

  /** A listener tapped the page: the reader sees a ring there. */
  async lookHere(point: PagePoint): Promise<void> {
    if (!this.canLookHere) return;
    try {
      await this.#options.request('lookHere', { point });
    } catch (error) {
      console.warn('look here not sent', error);
    }
  }

  /** Stops timers and pending sends (the call screen is going away). */
  dispose(): void {
    this.#pointerOut.dispose();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.lookHeres = [];
    this.pointer = null;
  }

  #showLookHere(peerId: string, point: PagePoint): void {
    const id = ++this.#lookHereIds;
    // One ring per person: a new tap moves it.
    this.lookHeres = [...this.lookHeres.filter((look) => look.peerId !== peerId), { id, peerId, point }];
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.lookHeres = this.lookHeres.filter((look) => look.id !== id);
    }, LOOK_HERE_MS);
    this.#timers.add(timer);
  }

  #setView(view: FollowView): void {
    this.#view = view;
    this.#preload();
  }

  /** Fetches the pages around the one shown, so the next turn shows without waiting. */
  #preload(): void {
    const book = this.book;
    if (!book || typeof Image === 'undefined') return;
    for (const page of pagesToPreload(this.page, book.pageCount)) {
      const url = this.imageUrl(page);
      if (this.#preloaded.has(url)) continue;
      const image = new Image();
      image.decoding = 'async';
      image.src = url;
      this.#preloaded.set(url, image);
    }
    while (this.#preloaded.size > PRELOAD_KEEP) {
      const oldest = this.#preloaded.keys().next().value;
      if (oldest === undefined) break;
      this.#preloaded.delete(oldest);
    }
  }

  /** The stage changed size: a different picture size may suit it now. */
  setImageSize(size: PageImageSize): void {
    if (size === this.imageSize) return;
    this.imageSize = size;
    this.#preload();
  }
}
