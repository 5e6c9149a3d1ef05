import { describe, expect, it } from 'vitest';
import type { RoomInfo, StorytimeState } from '@tupa/signaling/protocol';
import { StorytimeSession, type StorytimeNotifications } from './StorytimeSession.svelte.ts';

const book = { bookId: 'b1', title: 'Tupa', pageCount: 12, aspectRatio: 4 / 3 };

/** A session with a server that answers turnPage like the real one, and its notifications. */
function setUp(selfId: string, options: { host?: boolean; refuse?: boolean; kind?: RoomInfo['kind']; staffMade?: boolean } = {}) {
  const handlers = new Map<string, (payload: unknown) => void>();
  let server: StorytimeState = { book, page: 1, readerId: 'reader', turnerId: null, version: 1 };
  const requests: { name: string; payload: unknown }[] = [];
  const session = new StorytimeSession({
    selfId: () => selfId,
    role: () => (options.host ? 'host' : 'guest'),
    room: () => ({ kind: options.kind ?? 'storytime', madeFromStartPage: options.kind === 'open' && !options.staffMade, chatEnabled: false, childrenPresent: true }),
    request: async (name, payload) => {
      requests.push({ name, payload });
      if (options.refuse) throw new Error('forbidden');
      if (name === 'turnPage') server = { ...server, page: (payload as { page: number }).page, version: server.version + 1 };
      return server as never;
    },
  });
  const connection: StorytimeNotifications = {
    on: (name, handler) => {
      handlers.set(name, handler as (payload: unknown) => void);
      return () => handlers.delete(name);
    },
  };
  session.listen(connection);
  session.apply(server, true);
  const notify = (state: Partial<StorytimeState>) => {
    server = { ...server, ...state, version: server.version + 1 };
    handlers.get('storytimeChanged')?.({ state: server, by: 'reader' });
  };
  return { session, requests, notify, handlers };
}

describe('storytime session', () => {
  it('follows the reader: each turn from the server shows at once, older ones are dropped', () => {
    const { session, notify, handlers } = setUp('child');
    notify({ page: 2 });
    expect(session.page).toBe(2);
    notify({ page: 3 });
    expect(session.page).toBe(3);
    handlers.get('storytimeChanged')?.({ state: { book, page: 1, readerId: 'reader', turnerId: null, version: 2 }, by: 'reader' });
    expect(session.page).toBe(3);
  });

  it('lets a listener look around and come back to the reader’s page', async () => {
    const { session, notify, requests } = setUp('child');
    expect(session.canTurn).toBe(false);
    session.startLooking();
    await session.turnTo(6);
    expect(session.page).toBe(6);
    notify({ page: 2 });
    expect(session.page).toBe(6);
    expect(session.readersPage).toBe(2);
    session.followReader();
    expect(session.page).toBe(2);
    // Looking around asks nothing of the server.
    expect(requests.filter((r) => r.name === 'turnPage')).toEqual([]);
  });

  it('turns for everyone when this tab is the turner, showing the page before the answer', async () => {
    const { session, requests } = setUp('reader');
    const turning = session.next();
    expect(session.page).toBe(2);
    await turning;
    expect(session.page).toBe(2);
    expect(session.state?.version).toBe(2);
    expect(requests).toEqual([{ name: 'turnPage', payload: { page: 2 } }]);
  });

  it('puts the true page back when a turn is refused', async () => {
    const { session } = setUp('reader', { refuse: true });
    const originalWarn = console.warn;
    console.warn = () => {};
    try {
      await session.next();
    } finally {
      console.warn = originalWarn;
    }
    expect(session.page).toBe(1);
  });

  it('does not turn for everyone when someone else has the pages', async () => {
    const { session, requests, notify } = setUp('reader');
    notify({ turnerId: 'child' });
    expect(session.canTurn).toBe(false);
    await session.next();
    expect(requests).toEqual([]);
    expect(session.page).toBe(1);
  });

  it('offers choosing a book to a guest only in a room made from the start page that nobody reads in, as the server allows', () => {
    const storytimeRoom = setUp('grandma').session;
    storytimeRoom.apply({ book: null, page: 1, readerId: null, turnerId: null, version: 5 }, true);
    expect(storytimeRoom.canChoose).toBe(false);
    // A coordinator's room of the open kind has hosts, who keep the lead.
    const staffOpenRoom = setUp('grandma', { kind: 'open', staffMade: true }).session;
    staffOpenRoom.apply({ book: null, page: 1, readerId: null, turnerId: null, version: 5 }, true);
    expect(staffOpenRoom.canChoose).toBe(false);
    const openRoom = setUp('grandma', { kind: 'open' }).session;
    openRoom.apply({ book: null, page: 1, readerId: null, turnerId: null, version: 5 }, true);
    expect(openRoom.canChoose).toBe(true);
    // Once someone reads, the others follow as in any room.
    openRoom.apply({ book, page: 1, readerId: 'child', turnerId: null, version: 6 });
    expect(openRoom.canChoose).toBe(false);
    expect(openRoom.canLookHere).toBe(true);
    expect(openRoom.canPoint).toBe(false);
  });
});
