import type { StorytimeState } from '@tupa/signaling/protocol';

// What one screen shows of the room's book: the server's page while following the reader, or a
// page of its own while a listener looks around. Pure functions, so the rules are easy to test.

export interface FollowView {
  /** The latest state the server sent, or null before the first one. */
  server: StorytimeState | null;
  /** A listener looking around the book on their own (nobody else sees it). */
  looking: boolean;
  /** The page this screen shows while looking around. */
  ownPage: number;
}

export const emptyView: FollowView = { server: null, looking: false, ownPage: 1 };

/**
 * The view after the server's `incoming` state, or null when it is older than (or the same as)
 * what this screen already has. `fresh` (a join reply) is taken whatever its version, because a
 * room that closed and opened again counts its versions from the start.
 */
export function applyServerState(view: FollowView, incoming: StorytimeState, fresh = false): FollowView | null {
  const known = view.server;
  if (!fresh && known && incoming.version <= known.version) return null;
  const sameBook = known?.book !== null && known?.book?.bookId === incoming.book?.bookId;
  // Another book (or none): looking around ends, everyone starts together.
  if (!sameBook || incoming.book === null) return { server: incoming, looking: false, ownPage: incoming.page };
  return { ...view, server: incoming };
}

/** The page this screen shows now. */
export function shownPage(view: FollowView): number {
  if (!view.server) return 1;
  return view.looking ? view.ownPage : view.server.page;
}

/** A listener starts looking around on their own, from the page everyone is on. */
export function startLooking(view: FollowView): FollowView {
  if (!view.server?.book) return view;
  return { ...view, looking: true, ownPage: view.server.page };
}

/** A listener, looking around, goes to `page` (kept inside the book). */
export function lookAt(view: FollowView, page: number): FollowView {
  const book = view.server?.book;
  if (!book || !view.looking) return view;
  return { ...view, ownPage: clampPage(page, book.pageCount) };
}

/** "Back to the reader's page": following again, on the page everyone is on. */
export function followReader(view: FollowView): FollowView {
  if (!view.server) return { ...view, looking: false };
  return { ...view, looking: false, ownPage: view.server.page };
}

/**
 * Who turns the pages for everyone: the one it was handed to, else the reader. Who may turn is
 * the permission table's (protocol/permissions.ts, mayTurnPage): hosts may as well.
 */
export function turnerOf(state: StorytimeState | null): string | null {
  if (!state) return null;
  return state.turnerId ?? state.readerId;
}

export function clampPage(page: number, pageCount: number): number {
  return Math.min(Math.max(1, Math.round(page)), pageCount);
}
