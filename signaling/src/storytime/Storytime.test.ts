import { describe, expect, it } from 'vitest';
import { SignalingError } from '../errors.ts';
import { mayLookHere, mayPointAt, type Permission, type RoomInfo, type StorytimeState } from '../protocol/index.ts';
import { Storytime, type StorytimeActor } from './Storytime.ts';

const host: StorytimeActor = { id: 'host', role: 'host' };
const grandma: StorytimeActor = { id: 'grandma', role: 'guest' };
const child: StorytimeActor = { id: 'child', role: 'guest' };
const cousin: StorytimeActor = { id: 'cousin', role: 'guest' };
const book = { bookId: '7b0c1f6e-3d4a-4b59-9a57-3f7c2d1e0a11', title: 'Muumi', pageCount: 12, aspectRatio: 4 / 3 };

/** A room of `kind`; one of kind 'open' is made from the start page unless `madeFromStartPage` says otherwise. */
function setup(kind: RoomInfo['kind'] = 'storytime', madeFromStartPage = kind === 'open') {
  const present = new Set([host.id, grandma.id, child.id, cousin.id]);
  const changes: Array<{ state: StorytimeState; by: string | null }> = [];
  const room = { rules: () => ({ kind, madeFromStartPage }), has: (id: string) => present.has(id) };
  const storytime = new Storytime(room, (state, by) => changes.push({ state, by }));
  return { storytime, changes, present };
}

/** A permission's answer as a refusal is compared: 'yes', or its code and reason. */
function answer(permission: Permission): 'yes' | { code: string; reason: string | undefined } {
  return permission.allowed ? 'yes' : { code: permission.code, reason: permission.reason };
}

/** The error `fn` throws, so a test can compare its code and reason. */
function refusal(fn: () => unknown): { code: string; reason: string | undefined } {
  try {
    fn();
  } catch (error) {
    if (error instanceof SignalingError) return { code: error.code, reason: error.reason };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('Storytime', () => {
  it('starts with no book, nobody reading, page 1 and version 0', () => {
    const { storytime } = setup();
    expect(storytime.snapshot()).toEqual({ book: null, page: 1, readerId: null, turnerId: null, version: 0 });
  });

  it('lets a host open a book at page 1 and makes the opener the reader when nobody reads', () => {
    const { storytime, changes } = setup();
    const state = storytime.open(host, book);
    expect(state).toEqual({ book, page: 1, readerId: 'host', turnerId: null, version: 1 });
    expect(changes).toEqual([{ state, by: 'host' }]);
  });

  it('keeps the chosen reader when a host opens a book', () => {
    const { storytime } = setup();
    storytime.setReader(host, 'grandma');
    expect(storytime.open(host, book).readerId).toBe('grandma');
  });

  it('lets the reader open and close books, but not a guest who does not read', () => {
    const { storytime } = setup();
    expect(refusal(() => storytime.open(grandma, book))).toEqual({ code: 'forbidden', reason: 'storytime-reader-only' });
    storytime.setReader(host, 'grandma');
    expect(storytime.open(grandma, book).book?.bookId).toBe(book.bookId);
    expect(refusal(() => storytime.close(child))).toEqual({ code: 'forbidden', reason: 'storytime-reader-only' });
    const closed = storytime.close(grandma);
    expect(closed).toMatchObject({ book: null, page: 1, readerId: 'grandma' });
    // Closing again changes nothing, so the version stays.
    expect(storytime.close(grandma).version).toBe(closed.version);
  });

  it('lets only the turner or a host turn, and refuses pages outside the book without changing anything', () => {
    const { storytime, changes } = setup();
    storytime.setReader(host, 'grandma');
    storytime.open(grandma, book);
    expect(storytime.turn(grandma, 2).page).toBe(2);
    expect(storytime.turn(host, 3).page).toBe(3);
    const before = storytime.snapshot();
    const count = changes.length;
    expect(refusal(() => storytime.turn(child, 4))).toEqual({ code: 'forbidden', reason: 'storytime-turner-only' });
    expect(refusal(() => storytime.turn(grandma, 13))).toEqual({ code: 'invalid-state', reason: 'page-out-of-range' });
    expect(refusal(() => storytime.turn(grandma, 0))).toEqual({ code: 'invalid-state', reason: 'page-out-of-range' });
    expect(refusal(() => storytime.turn(grandma, 2.5))).toEqual({ code: 'invalid-state', reason: 'page-out-of-range' });
    expect(storytime.snapshot()).toEqual(before);
    expect(changes).toHaveLength(count);
  });

  it('refuses turning before a book is open', () => {
    const { storytime } = setup();
    expect(refusal(() => storytime.turn(host, 1))).toEqual({ code: 'invalid-state', reason: 'storytime-no-book' });
  });

  it('lets the turning follow whoever it is handed to, and the reader take it back', () => {
    const { storytime } = setup();
    storytime.setReader(host, 'grandma');
    storytime.open(grandma, book);
    expect(storytime.setTurner(grandma, 'child')).toMatchObject({ readerId: 'grandma', turnerId: 'child' });
    expect(storytime.turn(child, 2).page).toBe(2);
    // The reader handed it over: until they take it back, the child turns.
    expect(refusal(() => storytime.turn(grandma, 3))).toEqual({ code: 'forbidden', reason: 'storytime-turner-only' });
    expect(refusal(() => storytime.turn(cousin, 3))).toEqual({ code: 'forbidden', reason: 'storytime-turner-only' });
    expect(storytime.setTurner(grandma, null).turnerId).toBeNull();
    expect(storytime.turn(grandma, 3).page).toBe(3);
    expect(refusal(() => storytime.turn(child, 4))).toEqual({ code: 'forbidden', reason: 'storytime-turner-only' });
  });

  it('lets a host hand the turning over and take it back, and the turner cannot pass it on', () => {
    const { storytime } = setup();
    storytime.open(host, book);
    storytime.setTurner(host, 'child');
    expect(refusal(() => storytime.setTurner(child, 'cousin'))).toEqual({ code: 'forbidden', reason: 'storytime-reader-only' });
    expect(storytime.turn(host, 5).page).toBe(5); // a host may always turn
    expect(storytime.setTurner(host, null).turnerId).toBeNull();
    expect(storytime.turnerId).toBe('host');
  });

  it('treats handing the turning to the reader as taking it back', () => {
    const { storytime } = setup();
    storytime.open(host, book);
    storytime.setTurner(host, 'child');
    expect(storytime.setTurner(host, 'host').turnerId).toBeNull();
  });

  it('hands roles only to people in the room', () => {
    const { storytime } = setup();
    storytime.open(host, book);
    expect(refusal(() => storytime.setReader(host, 'stranger'))).toEqual({ code: 'not-found', reason: undefined });
    expect(refusal(() => storytime.setTurner(host, 'stranger'))).toEqual({ code: 'not-found', reason: undefined });
    expect(storytime.snapshot()).toMatchObject({ readerId: 'host', turnerId: null, version: 1 });
  });

  it('lets only a host choose the reader, and a new reader turns their own pages', () => {
    const { storytime } = setup();
    storytime.open(host, book);
    storytime.setTurner(host, 'child');
    expect(refusal(() => storytime.setReader(grandma, 'grandma'))).toEqual({ code: 'forbidden', reason: 'host-only' });
    expect(storytime.setReader(host, 'grandma')).toMatchObject({ readerId: 'grandma', turnerId: null });
    expect(storytime.setReader(host, null)).toMatchObject({ readerId: null, turnerId: null });
  });

  it('leaves nobody reading when the reader leaves, and gives the turning back when the turner leaves', () => {
    const { storytime, changes, present } = setup();
    storytime.setReader(host, 'grandma');
    storytime.open(grandma, book);
    storytime.setTurner(grandma, 'child');
    present.delete('child');
    storytime.peerLeft('child');
    expect(storytime.snapshot()).toMatchObject({ readerId: 'grandma', turnerId: null });
    expect(changes.at(-1)?.by).toBeNull();
    storytime.setTurner(grandma, 'cousin');
    present.delete('grandma');
    storytime.peerLeft('grandma');
    expect(storytime.snapshot()).toMatchObject({ book, readerId: null, turnerId: null });
    expect(refusal(() => storytime.turn(cousin, 2))).toEqual({ code: 'forbidden', reason: 'storytime-turner-only' });
    // Someone without a role leaving changes nothing.
    const count = changes.length;
    storytime.peerLeft('host');
    expect(changes).toHaveLength(count);
  });

  it('gives a late joiner the current book, page and roles in one snapshot', () => {
    const { storytime } = setup();
    storytime.open(host, book);
    storytime.setTurner(host, 'child');
    storytime.turn(child, 7);
    const snapshot = storytime.snapshot();
    expect(snapshot).toEqual({ book, page: 7, readerId: 'host', turnerId: 'child', version: 3 });
    // The snapshot is a copy: changing it cannot change the room's state.
    snapshot.book!.pageCount = 1;
    expect(storytime.snapshot().book?.pageCount).toBe(12);
  });

  it('raises the version by exactly one per change and never on a refused or empty request', () => {
    const { storytime, changes } = setup();
    storytime.open(host, book);
    storytime.turn(host, 2);
    storytime.turn(host, 2); // already there
    try {
      storytime.turn(child, 3);
    } catch {
      // refused on purpose
    }
    storytime.setTurner(host, 'child');
    storytime.turn(child, 3);
    storytime.peerLeft('child');
    storytime.close(host);
    const versions = changes.map((c) => c.state.version);
    expect(versions).toEqual([1, 2, 3, 4, 5, 6]);
    expect(storytime.snapshot().version).toBe(6);
  });

  it('lets only the reader point, only the listeners tap "look here", and only at an open book', () => {
    const { storytime } = setup();
    storytime.setReader(host, 'grandma');
    const noBook = { code: 'invalid-state', reason: 'storytime-no-book' };
    expect(answer(mayPointAt(storytime.situation(grandma)))).toEqual(noBook);
    expect(answer(mayLookHere(storytime.situation(child)))).toEqual(noBook);
    storytime.open(grandma, book);
    expect(answer(mayPointAt(storytime.situation(grandma)))).toBe('yes');
    expect(answer(mayLookHere(storytime.situation(child)))).toBe('yes');
    expect(answer(mayLookHere(storytime.situation(host)))).toBe('yes');
    expect(answer(mayLookHere(storytime.situation(grandma)))).toEqual({ code: 'forbidden', reason: 'storytime-listener-only' });
    expect(answer(mayPointAt(storytime.situation(host)))).toEqual({ code: 'forbidden', reason: 'storytime-reader-only' });
    expect(answer(mayPointAt(storytime.situation(child)))).toEqual({ code: 'forbidden', reason: 'storytime-reader-only' });
  });

  it('has no storytime in peer-group and play rooms, for hosts neither', () => {
    for (const kind of ['peer-group', 'play'] as const) {
      const { storytime, changes } = setup(kind);
      const notAllowed = { code: 'invalid-state', reason: 'storytime-not-allowed' };
      expect(refusal(() => storytime.open(host, book))).toEqual(notAllowed);
      expect(refusal(() => storytime.setReader(host, 'grandma'))).toEqual(notAllowed);
      expect(refusal(() => storytime.setTurner(host, 'child'))).toEqual(notAllowed);
      expect(refusal(() => storytime.turn(host, 1))).toEqual(notAllowed);
      expect(refusal(() => storytime.close(host))).toEqual(notAllowed);
      expect(answer(mayLookHere(storytime.situation(child)))).toEqual(notAllowed);
      expect(changes).toEqual([]);
    }
  });

  it('lets anyone open a book in an open room while nobody reads, since such rooms have no hosts', () => {
    const { storytime } = setup('open');
    expect(storytime.open(grandma, book)).toMatchObject({ book: { title: 'Muumi' }, readerId: 'grandma' });
    // Once someone reads, the others follow as in any room.
    expect(refusal(() => storytime.open(child, book))).toEqual({ code: 'forbidden', reason: 'storytime-reader-only' });
    expect(refusal(() => storytime.turn(child, 2))).toEqual({ code: 'forbidden', reason: 'storytime-turner-only' });
    expect(storytime.turn(grandma, 2).page).toBe(2);
  });

  it('keeps a storytime room closed to guests while nobody reads', () => {
    const { storytime } = setup('storytime');
    expect(refusal(() => storytime.open(grandma, book))).toEqual({ code: 'forbidden', reason: 'storytime-reader-only' });
  });
});
