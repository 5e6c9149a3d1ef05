import { assertAllowed, notFoundError } from '../errors.ts';
import { hearsLookHere, mayLookHere, mayOpenBook, mayPointAt } from '../protocol/index.ts';
import { joined, type Handler } from './context.ts';

// Storytime: who may open, turn and hand over is the permission table's (protocol/permissions.ts),
// asked by storytime/Storytime.ts, through which every change reaches the room; these only find
// the book and pass the request on. Pointing and "look here" change no state, so they ask here.

export const openBook: Handler<'openBook'> = async (ctx, { bookId }) => {
  const { room, peer } = joined(ctx);
  // Refuse before the database is asked, so a guest cannot probe the shelf.
  assertAllowed(mayOpenBook(room.storytime.situation(peer)));
  const book = await ctx.deps.books.find(bookId);
  if (!book) throw notFoundError('no such book');
  return room.storytime.open(peer, book);
};

export const closeBook: Handler<'closeBook'> = async (ctx) => {
  const { room, peer } = joined(ctx);
  return room.storytime.close(peer);
};

export const turnPage: Handler<'turnPage'> = async (ctx, { page }) => {
  const { room, peer } = joined(ctx);
  return room.storytime.turn(peer, page);
};

export const setReader: Handler<'setReader'> = async (ctx, { peerId }) => {
  const { room, peer } = joined(ctx);
  return room.storytime.setReader(peer, peerId);
};

export const setTurner: Handler<'setTurner'> = async (ctx, { peerId }) => {
  const { room, peer } = joined(ctx);
  return room.storytime.setTurner(peer, peerId);
};

/** The reader's pointer goes to everyone else, volatile: a late position is worth less than none. */
export const pointAt: Handler<'pointAt'> = async (ctx, { point }) => {
  const { room, peer } = joined(ctx);
  assertAllowed(mayPointAt(room.storytime.situation(peer)));
  room.notifyWhere('storytimePointer', { peerId: peer.id, point }, (other) => other !== peer, { volatile: true });
  return {};
};

/**
 * A listener's tap on the page is for the reader and the hosts, who lead the reading; the others
 * never see it. The reader points instead (pointAt).
 */
export const lookHere: Handler<'lookHere'> = async (ctx, { point }) => {
  const { room, peer } = joined(ctx);
  assertAllowed(mayLookHere(room.storytime.situation(peer)));
  const storytime = room.storytime.snapshot();
  room.notifyWhere('storytimeLookHere', { peerId: peer.id, point }, (other) => hearsLookHere(other, peer, storytime));
  return {};
};
