import { MEMORY_MISS_SHOW_MS, type GameState, type MemoryView } from '@tupa/signaling/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpSession } from '../support/httpClient.ts';
import { eventually, startTestServer, type TestServer } from '../support/server.ts';
import type { TestClient } from '../support/signalingClient.ts';
import { ClientPool, createInvitation, createRoom, staffAccounts } from '../support/staffAccounts.ts';

// Noughts and crosses and memory over real Socket.IO against a whole Tupa: roles from real
// invitations, every move through the server's rule modules, and every refusal checked against
// the room's game before and after (the server's own state, not only what a client heard).

let t: TestServer;
let coordinator: HttpSession;
const clients = new ClientPool(() => t.url);

beforeAll(async () => {
  // A reconnect grace long enough that a dropped tab can come back to its place.
  t = await startTestServer({ env: { RECONNECT_GRACE_SECONDS: '30' } });
  ({ coordinator } = await staffAccounts(t.url));
});
afterAll(async () => {
  clients.closeAll();
  await t?.stop();
});

type AnyReply = { ok: boolean; data?: unknown; error?: { code: string; message: string; reason?: string } };

/** A staff room of `kind` with the coordinator's tab as host and two children as guests, everyone in the call. */
async function gameRoom(kind: 'play' | 'storytime' | 'peer-group' = 'play') {
  const roomId = await createRoom(coordinator, { name: 'Leikkihuone', kind, lobbyEnabled: false, childrenPresent: kind !== 'peer-group', capacity: 8 });
  const host = await clients.connect(coordinator.cookie);
  const h = await host.joinCall({ roomId, displayName: 'Kaisa' });
  expect(h.role).toBe('host');
  expect(h.game).toBeNull();
  const child = await clients.connect();
  const c = await child.joinCall({ invitation: { token: await createInvitation(coordinator, roomId) }, displayName: 'Ilona' });
  const cousin = await clients.connect();
  const k = await cousin.joinCall({ invitation: { token: await createInvitation(coordinator, roomId) }, displayName: 'Onni' });
  const room = t.server.registry.get(roomId);
  if (!room) throw new Error('room is not live');
  return { roomId, room, host, child, cousin, hostId: h.peerId, childId: c.peerId, cousinId: k.peerId, childJoin: c };
}

const changes = (client: TestClient) => client.notifications('gameChanged');

/** Waits until `client` has heard of the game at `version`, and returns that notice. */
async function changeSeen(client: TestClient, version: number) {
  expect(await eventually(() => changes(client).some((n) => n.game?.version === version))).toBe(true);
  return changes(client).find((n) => n.game?.version === version)!;
}

/**
 * Every notice sent to `client` before this reply has arrived when it returns (one socket keeps
 * order); asked again while a flood has spent the connection's request budget.
 */
async function settled(client: TestClient): Promise<void> {
  expect(await eventually(async () => (await client.request('raiseHand', { raised: false })).ok, 10_000, 100)).toBe(true);
}

/** A refusal with this code (and reason), never `internal`. */
function expectRefusal(reply: unknown, code: string, reason?: string): void {
  const r = reply as AnyReply;
  expect(r.ok, JSON.stringify(r)).toBe(false);
  expect(r.error?.code, JSON.stringify(r)).toBe(code);
  if (reason) expect(r.error?.reason, JSON.stringify(r)).toBe(reason);
}

const cell = (gameId: string, at: number) => ({ gameId, move: { kind: 'noughts-and-crosses' as const, cell: at } });
/** The same, with anything at all in the cell, as a hostile client would send. */
const anyCell = (gameId: string, at: unknown) => ({ gameId, move: { kind: 'noughts-and-crosses', cell: at } });

/** No memory view `client` was sent shows a picture on a face-down card; returns how many views were looked at. */
function noFaceDownPictures(client: TestClient, more: (GameState | null | undefined)[] = []): number {
  const views = [...changes(client).map((n) => n.game), ...more].filter((g): g is GameState => g?.view.kind === 'memory');
  for (const game of views) {
    for (const card of (game.view as MemoryView).cards) {
      if (card.face === 'down') expect(Object.keys(card)).toEqual(['face']);
    }
  }
  return views.length;
}

describe('noughts and crosses over signaling', () => {
  it('plays a whole game to a win that the two players and the watching host all see', async () => {
    const { host, child, cousin, hostId, childId, cousinId } = await gameRoom();
    const started = await host.ok('startGame', { kind: 'noughts-and-crosses', players: [childId, cousinId] });
    expect(started).toMatchObject({ startedBy: hostId, players: [childId, cousinId], over: false, view: { turn: 0, starter: 0 } });
    const { gameId } = started;
    let last = started;
    for (const [who, at] of [[child, 0], [cousin, 4], [child, 1], [cousin, 5], [child, 2]] as const) {
      last = await who.ok('gameMove', { gameId, move: { kind: 'noughts-and-crosses', cell: at } });
    }
    expect(last).toMatchObject({ gameId, version: started.version + 5, over: true });
    expect(last.view).toEqual({ kind: 'noughts-and-crosses', cells: [0, 0, 0, null, 1, 1, null, null, null], turn: null, starter: 0, winner: 0, line: [0, 1, 2], draw: false });
    for (const client of [host, child, cousin]) {
      expect(await changeSeen(client, last.version)).toEqual({ game: last, version: last.version, by: childId });
      // Every version, in order, none skipped.
      expect(changes(client).map((n) => n.game?.version)).toEqual([0, 1, 2, 3, 4, 5].map((i) => started.version + i));
    }
  });

  it('refuses out-of-turn, taken, watched, malformed, stale and flooded moves with error replies, and nothing changes', async () => {
    const { room, host, child, cousin, childId, cousinId } = await gameRoom();
    const { gameId } = await host.ok('startGame', { kind: 'noughts-and-crosses', players: [childId, cousinId] });
    await child.ok('gameMove', cell(gameId, 4));
    const before = room.games.snapshotFor(null);
    expect(before?.view).toMatchObject({ turn: 1 });

    expectRefusal(await child.request('gameMove', cell(gameId, 0)), 'invalid-state', 'not-your-turn');
    expectRefusal(await cousin.request('gameMove', cell(gameId, 4)), 'invalid-state', 'illegal-move');
    expectRefusal(await host.request('gameMove', cell(gameId, 0)), 'forbidden', 'game-players-only');
    expectRefusal(await cousin.request('gameMove', { gameId, move: { kind: 'memory', card: 0 } }), 'invalid-state', 'illegal-move');
    expectRefusal(await cousin.request('gameMove', cell('a-game-that-never-was', 0)), 'invalid-state', 'game-none');
    for (const payload of [anyCell(gameId, 9), anyCell(gameId, -1), anyCell(gameId, '3'), anyCell(gameId, 1.5), anyCell(gameId, null), { move: { kind: 'noughts-and-crosses', cell: 0 } }, { gameId: 7, move: { kind: 'noughts-and-crosses', cell: 0 } }, { gameId: '', move: { kind: 'noughts-and-crosses', cell: 0 } }, { gameId, move: null }, { gameId, move: { kind: 'chess', cell: 0 } }, { gameId }, null]) {
      expectRefusal(await cousin.raw('gameMove', payload), 'validation');
    }
    // Hundreds at once from the one whose turn it is not: every one refused, none internal.
    const flood = (await Promise.all(Array.from({ length: 300 }, (_, i) => child.raw('gameMove', cell(gameId, i % 9))))) as AnyReply[];
    expect(flood.every((r) => !r.ok)).toBe(true);
    expect(new Set(flood.map((r) => r.error?.code))).toEqual(new Set(['invalid-state', 'rate-limited']));
    expect(room.games.snapshotFor(null)).toEqual(before);
    for (const client of [host, child, cousin]) await settled(client);
    for (const client of [host, child, cousin]) expect(changes(client).at(-1)?.game).toEqual(before);

    // Hundreds at once from the one whose turn it is: exactly one is the move, one new version.
    const rush = (await Promise.all(Array.from({ length: 300 }, (_, i) => cousin.raw('gameMove', cell(gameId, i % 9))))) as AnyReply[];
    expect(rush.filter((r) => r.ok)).toHaveLength(1);
    expect(rush.every((r) => r.ok || ['invalid-state', 'rate-limited'].includes(r.error!.code))).toBe(true);
    expect(room.games.snapshotFor(null)?.version).toBe(before!.version + 1);
  });

  it('refuses moves once the game is over, and moves for the old game after a rematch, where the other one starts', async () => {
    const { room, host, child, cousin, childId, cousinId } = await gameRoom();
    const { gameId } = await host.ok('startGame', { kind: 'noughts-and-crosses', players: [childId, cousinId] });
    expectRefusal(await child.request('rematch', { gameId }), 'invalid-state', 'game-not-over');
    for (const [who, at] of [[child, 0], [cousin, 3], [child, 1], [cousin, 4], [child, 2]] as const) await who.ok('gameMove', cell(gameId, at));
    const over = room.games.snapshotFor(null);
    expect(over).toMatchObject({ over: true });
    expectRefusal(await cousin.request('gameMove', cell(gameId, 8)), 'invalid-state', 'game-over');
    expectRefusal(await child.request('gameMove', cell(gameId, 8)), 'invalid-state', 'game-over');
    expect(room.games.snapshotFor(null)).toEqual(over);

    const again = await cousin.ok('rematch', { gameId });
    expect(again.gameId).not.toBe(gameId);
    expect(again).toMatchObject({ players: [childId, cousinId], over: false, version: over!.version + 1 });
    expect(again.view).toMatchObject({ starter: 1, turn: 1, cells: Array(9).fill(null) });
    // "Play again" for the finished game once more (a second tap) finds the game that began.
    expect(await child.ok('rematch', { gameId })).toEqual(again);
    const now = room.games.snapshotFor(null);
    expect(now).toEqual(again);
    expectRefusal(await cousin.request('gameMove', cell(gameId, 8)), 'invalid-state', 'game-none');
    expectRefusal(await child.request('gameMove', cell(again.gameId, 8)), 'invalid-state', 'not-your-turn');
    expect(room.games.snapshotFor(null)).toEqual(now);
    expect(await cousin.ok('gameMove', cell(again.gameId, 8))).toMatchObject({ view: { cells: [null, null, null, null, null, null, null, null, 1] } });
  });

  it('lets no guest of a storytime room start a game, and nobody at all in a peer group', async () => {
    const story = await gameRoom('storytime');
    expectRefusal(await story.child.request('startGame', { kind: 'noughts-and-crosses', players: [story.childId, story.cousinId] }), 'forbidden', 'game-lead-only');
    expectRefusal(await story.child.request('startGame', { kind: 'drawing' }), 'forbidden', 'game-lead-only');
    expectRefusal(await story.child.request('endGame', { gameId: 'no-game' }), 'invalid-state', 'game-none');
    expect(story.room.games.snapshotFor(null)).toBeNull();
    // The host may, and the game's players then move; the other guest only watches.
    const { gameId } = await story.host.ok('startGame', { kind: 'noughts-and-crosses', players: [story.childId, story.hostId] });
    expectRefusal(await story.cousin.request('gameMove', cell(gameId, 0)), 'forbidden', 'game-players-only');
    expectRefusal(await story.cousin.request('endGame', { gameId }), 'forbidden', 'game-lead-only');
    expect(await story.child.ok('gameMove', cell(gameId, 0))).toMatchObject({ view: { turn: 1 } });

    const group = await gameRoom('peer-group');
    for (const client of [group.host, group.child]) {
      expectRefusal(await client.request('startGame', { kind: 'noughts-and-crosses', players: [group.childId, group.cousinId] }), 'invalid-state', 'game-not-allowed');
      expectRefusal(await client.request('startGame', { kind: 'drawing' }), 'invalid-state', 'game-not-allowed');
    }
    expect(group.room.games.snapshotFor(null)).toBeNull();
    await settled(group.cousin);
    expect(changes(group.cousin)).toEqual([]);
  });

  it('refuses a game for players not in the call or named twice', async () => {
    const { room, host, childId } = await gameRoom();
    expectRefusal(await host.request('startGame', { kind: 'noughts-and-crosses', players: [childId, childId] }), 'invalid-state', 'game-players-invalid');
    expectRefusal(await host.request('startGame', { kind: 'noughts-and-crosses', players: [childId, 'someone-else'] }), 'invalid-state', 'game-players-invalid');
    expectRefusal(await host.request('startGame', { kind: 'memory', players: [childId, childId, childId], options: { cards: 8 } }), 'invalid-state', 'game-players-invalid');
    expectRefusal(await host.raw('startGame', { kind: 'noughts-and-crosses', players: [childId] }), 'validation');
    expect(room.games.snapshotFor(null)).toBeNull();
  });

  it('gives a late joiner and a resumed tab the game as it is, and ends it when a player leaves for good', async () => {
    const { roomId, room, host, child, cousin, childId, cousinId, childJoin } = await gameRoom();
    const { gameId } = await host.ok('startGame', { kind: 'noughts-and-crosses', players: [childId, cousinId] });
    await child.ok('gameMove', cell(gameId, 4));
    const now = room.games.snapshotFor(null);

    const late = await clients.connect();
    const lateJoin = await late.joinCall({ invitation: { token: await createInvitation(coordinator, roomId) }, displayName: 'Myöhäinen' });
    expect(lateJoin.game).toEqual(now);

    child.close();
    expect(await eventually(() => host.notifications('peerConnectionState').some((n) => n.peerId === childId && n.state === 'reconnecting'))).toBe(true);
    const back = await clients.connect();
    const resumed = await back.joinCall({ roomId, displayName: 'Ilona', resume: { peerId: childId, secret: childJoin.resumeSecret, keepMedia: true } });
    expect(resumed).toMatchObject({ peerId: childId, mediaKept: true, game: now });
    back.close();
    expect(await eventually(() => host.notifications('peerConnectionState').filter((n) => n.peerId === childId && n.state === 'reconnecting').length === 2)).toBe(true);
    const fresh = await clients.connect();
    const again = await fresh.joinCall({ roomId, displayName: 'Ilona', resume: { peerId: childId, secret: resumed.resumeSecret } });
    expect(again).toMatchObject({ peerId: childId, mediaKept: false, game: now });
    // A resume is no leave: the game goes on, and the player still plays.
    await cousin.ok('gameMove', cell(gameId, 0));
    expect(await fresh.ok('gameMove', cell(gameId, 8))).toMatchObject({ view: { cells: [1, null, null, null, 0, null, null, null, 0] } });

    // Leaving for good ends a game of two: everyone is back in the call.
    await cousin.ok('leaveRoom', {});
    for (const client of [host, fresh, late]) {
      expect(await eventually(() => changes(client).at(-1)?.game === null)).toBe(true);
      expect(changes(client).at(-1)).toMatchObject({ game: null, by: null });
      expect(changes(client).at(-1)!.version).toBeGreaterThan(resumed.game!.version);
    }
    expect(room.games.snapshotFor(null)).toBeNull();
  });
});

describe('memory over signaling', () => {
  /** A play room with a memory game of the two children (8 cards); the host watches. */
  async function memoryRoom() {
    const setup = await gameRoom();
    const started = await setup.host.ok('startGame', { kind: 'memory', players: [setup.childId, setup.cousinId], options: { cards: 8 } });
    return { ...setup, started, gameId: started.gameId };
  }

  /**
   * The child (first to play) turns cards until two differ: a pair lets them go on with the
   * next two. Returns the state with the miss shown and the two cards.
   */
  async function playToMiss(child: TestClient, gameId: string): Promise<{ shown: GameState; cards: [number, number] }> {
    for (let first = 0; first < 8; first += 2) {
      await child.ok('gameMove', { gameId, move: { kind: 'memory', card: first } });
      const shown = await child.ok('gameMove', { gameId, move: { kind: 'memory', card: first + 1 } });
      if ((shown.view as MemoryView).showingMiss) return { shown, cards: [first, first + 1] };
    }
    throw new Error('every pair matched: no miss to show');
  }

  it('shows both cards of a miss to everyone, sends no face-down picture, and passes the turn after the shown time', async () => {
    const { roomId, room, host, child, cousin, gameId, started } = await memoryRoom();
    expect((started.view as MemoryView).cards).toEqual(Array(8).fill({ face: 'down' }));
    const { shown, cards } = await playToMiss(child, gameId);
    // The server started the shown time before it answered.
    const shownAt = Date.now();
    const view = shown.view as MemoryView;
    expect(view).toMatchObject({ turn: 0, showingMiss: true });
    expect(view.cards[cards[0]]).toMatchObject({ face: 'up' });
    expect(view.cards[cards[1]]).toMatchObject({ face: 'up' });
    for (const client of [host, child, cousin]) expect((await changeSeen(client, shown.version)).game).toEqual(shown);
    expect(room.games.settling).toBe(true);
    // Nothing moves while the cards are shown.
    expectRefusal(await child.request('gameMove', { gameId, move: { kind: 'memory', card: 7 } }), 'invalid-state', 'wait-for-cards');
    expectRefusal(await cousin.request('gameMove', { gameId, move: { kind: 'memory', card: 7 } }), 'invalid-state', 'not-your-turn');
    expectRefusal(await host.request('gameMove', { gameId, move: { kind: 'memory', card: 7 } }), 'forbidden', 'game-players-only');

    const passed = await changeSeen(cousin, shown.version + 1);
    expect(Date.now() - shownAt).toBeGreaterThan(MEMORY_MISS_SHOW_MS - 500);
    expect(passed.by).toBeNull();
    expect(passed.game?.view).toMatchObject({ turn: 1, showingMiss: false });
    expect((passed.game?.view as MemoryView).cards[cards[0]]).toEqual({ face: 'down' });
    expect(room.games.settling).toBe(false);
    expect(await cousin.ok('gameMove', { gameId, move: { kind: 'memory', card: 7 } })).toMatchObject({ view: { turn: 1 } });

    // Not one face-down picture in anything anyone was sent (the notices, the replies, a late join).
    for (const client of [host, child, cousin]) await settled(client);
    const late = await clients.connect();
    const lateJoin = await late.joinCall({ invitation: { token: await createInvitation(coordinator, roomId) }, displayName: 'Myöhäinen' });
    expect(lateJoin.game?.view).toMatchObject({ kind: 'memory', turn: 1 });
    const looked = noFaceDownPictures(child, [started, shown]) + noFaceDownPictures(cousin) + noFaceDownPictures(host) + noFaceDownPictures(late, [lateJoin.game]);
    expect(looked).toBeGreaterThan(6);
  });

  it('lets no miss timer outlive an ended game or a closed room', async () => {
    const first = await memoryRoom();
    await playToMiss(first.child, first.gameId);
    expect(first.room.games.settling).toBe(true);
    await first.host.ok('endGame', { gameId: first.gameId });
    expect(first.room.games.settling).toBe(false);
    expect(first.room.games.snapshotFor(null)).toBeNull();
    for (const client of [first.child, first.cousin]) expect(await eventually(() => changes(client).at(-1)?.game === null)).toBe(true);

    const second = await memoryRoom();
    await playToMiss(second.child, second.gameId);
    expect(second.room.games.settling).toBe(true);
    await second.host.ok('endSession', {});
    expect(await eventually(() => second.room.closed)).toBe(true);
    expect(second.room.games.settling).toBe(false);
    expect(second.room.games.snapshotFor(null)).toBeNull();
  });

  it('goes on without a player who leaves for good', async () => {
    const setup = await gameRoom();
    const third = await clients.connect();
    const t3 = await third.joinCall({ invitation: { token: await createInvitation(coordinator, setup.roomId) }, displayName: 'Aino' });
    const started = await setup.host.ok('startGame', { kind: 'memory', players: [setup.childId, setup.cousinId, t3.peerId], options: { cards: 12 } });
    await setup.child.ok('leaveRoom', {});
    const after = await changeSeen(setup.cousin, started.version + 1);
    expect(after).toMatchObject({ by: null, game: { gameId: started.gameId, players: [setup.childId, setup.cousinId, t3.peerId], view: { turn: 1 } } });
    expect(await setup.cousin.ok('gameMove', { gameId: started.gameId, move: { kind: 'memory', card: 0 } })).toMatchObject({ view: { turn: 1 } });
  });
});
