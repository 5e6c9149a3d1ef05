import { describe, expect, it } from 'vitest';
import type { StorytimeState } from '@tupa/signaling/protocol';
import { applyServerState, emptyView, followReader, lookAt, shownPage, startLooking, turnerOf, type FollowView } from './follow.ts';

const book = { bookId: 'b1', title: 'Tupa', pageCount: 12, aspectRatio: 4 / 3 };

function state(partial: Partial<StorytimeState>): StorytimeState {
  return { book, page: 1, readerId: 'reader', turnerId: null, version: 1, ...partial };
}

function apply(view: FollowView, incoming: StorytimeState, fresh = false): FollowView {
  const next = applyServerState(view, incoming, fresh);
  if (!next) throw new Error('dropped');
  return next;
}

describe('following the reader', () => {
  it('shows the server page at once while following', () => {
    let view = apply(emptyView, state({ page: 1, version: 1 }));
    expect(shownPage(view)).toBe(1);
    view = apply(view, state({ page: 2, version: 2 }));
    expect(shownPage(view)).toBe(2);
    view = apply(view, state({ page: 7, version: 3 }));
    expect(shownPage(view)).toBe(7);
  });

  it('drops an update whose version is not newer than the last one seen', () => {
    const view = apply(emptyView, state({ page: 5, version: 10 }));
    expect(applyServerState(view, state({ page: 4, version: 9 }))).toBeNull();
    expect(applyServerState(view, state({ page: 6, version: 10 }))).toBeNull();
    expect(shownPage(apply(view, state({ page: 6, version: 11 })))).toBe(6);
  });

  it('takes a join reply whatever its version (the room may have started again)', () => {
    const view = apply(emptyView, state({ page: 5, version: 10 }));
    expect(shownPage(apply(view, state({ page: 2, version: 1 }), true))).toBe(2);
  });

  it('lets a listener look around alone, keeping the page while the reader turns, and go back', () => {
    let view = apply(emptyView, state({ page: 3, version: 1 }));
    view = startLooking(view);
    expect(view.looking).toBe(true);
    expect(shownPage(view)).toBe(3);
    view = lookAt(view, 9);
    expect(shownPage(view)).toBe(9);
    // The reader turns meanwhile: the listener stays where they looked.
    view = apply(view, state({ page: 4, version: 2 }));
    expect(shownPage(view)).toBe(9);
    view = followReader(view);
    expect(view.looking).toBe(false);
    expect(shownPage(view)).toBe(4);
    // Following again: the next turn shows at once.
    view = apply(view, state({ page: 5, version: 3 }));
    expect(shownPage(view)).toBe(5);
  });

  it('keeps a look-around page inside the book', () => {
    let view = startLooking(apply(emptyView, state({ page: 3 })));
    expect(shownPage(lookAt(view, 0))).toBe(1);
    view = lookAt(view, 99);
    expect(shownPage(view)).toBe(12);
  });

  it('ignores a page change while following (only the server moves the page)', () => {
    const view = apply(emptyView, state({ page: 3 }));
    expect(shownPage(lookAt(view, 8))).toBe(3);
  });

  it('ends looking around when another book opens or the book closes', () => {
    let view = lookAt(startLooking(apply(emptyView, state({ page: 3, version: 1 }))), 6);
    view = apply(view, state({ book: { ...book, bookId: 'b2' }, page: 1, version: 2 }));
    expect(view.looking).toBe(false);
    expect(shownPage(view)).toBe(1);
    view = lookAt(startLooking(view), 4);
    view = apply(view, state({ book: null, page: 1, version: 3 }));
    expect(view.looking).toBe(false);
    expect(startLooking(view).looking).toBe(false);
  });

  it('names the one turning: the one it was handed to, else the reader', () => {
    expect(turnerOf(state({ readerId: 'grandma', turnerId: null }))).toBe('grandma');
    expect(turnerOf(state({ readerId: 'grandma', turnerId: 'child' }))).toBe('child');
    expect(turnerOf(null)).toBe(null);
  });
});
