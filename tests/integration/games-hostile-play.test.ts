import { DRAWING_LIMITS, MEMORY_MISS_SHOW_MS, type GameState, type MemoryView, type Stroke } from '@tupa/signaling/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardOf, card, cell, changes, expectRefusal, HostileGamesServer, line, noFaceDownPicture, settled, unlimited, type AnyReply } from '../support/hostileGames.ts';
import { eventually, type TestServer } from '../support/server.ts';
import type { TestClient } from '../support/signalingClient.ts';
import { createInvitation } from '../support/staffAccounts.ts';

// The games against clumsy and many hands over real Socket.IO, against a whole Tupa: memory's
// hidden cards by every path a client has (replies, notices, a flood, a late join, a resume) and
// its shown miss cut short in every way, twenty people drawing at once while someone joins, drawers
// sharing keys, dropping mid-stroke and drawing too much or too fast, and two "play again" taps at
// once. The rules: the server never answers `internal` nor logs an error, a refusal changes
// nothing, and the room still plays afterwards (a legal move is accepted). The general request
// budget is lifted (games.test.ts tests it); the drawing's own budgets stay. Requests from where no
// game may be played, malformed and spoofed ones, roles that may not and floods are in
// games-hostile.test.ts.

const hostile = new HostileGamesServer();
const { clients } = hostile;

beforeAll(() => hostile.start());
// No request ever failed inside the server: nothing logged at error.
afterAll(async () => expect(await hostile.stop()).toEqual([]));

/** Every game state `client` was sent: notices and (given) replies. */
const gamesHeard = (client: TestClient) => [
  ...changes(client).map((n) => n.game),
  ...client.notifications('admitted').map((n) => n.game),
];

/** The board as `client` has built it: the state it started from (its entry), the last full state, then the stroke notices. */
function boardSeen(client: TestClient, entry: GameState | null = null): Stroke[] {
  let strokes: Stroke[] = entry?.view.kind === 'drawing' ? structuredClone(entry.view.strokes) : [];
  let gameId: string | null = entry?.gameId ?? null;
  for (const { name, payload } of client.received) {
    if (name === 'gameChanged') {
      const game = (payload as { game: GameState | null }).game;
      gameId = game?.gameId ?? null;
      strokes = game?.view.kind === 'drawing' ? structuredClone(game.view.strokes) : [];
    }
    const p = payload as { gameId: string; stroke: Stroke; strokeId: number; points: number[]; done: boolean };
    if (p.gameId !== gameId) continue;
    if (name === 'strokeStarted') {
      // A stroke is started once.
      expect(strokes.some((s) => s.strokeId === p.stroke.strokeId)).toBe(false);
      strokes.push(structuredClone(p.stroke));
    }
    if (name === 'strokeExtended') {
      const stroke = strokes.find((s) => s.strokeId === p.strokeId)!;
      expect(stroke, `points for a stroke ${p.strokeId} not seen`).toBeDefined();
      expect(stroke.done, `points after the lift of ${p.strokeId}`).toBe(false);
      stroke.points.push(...p.points);
      stroke.done ||= p.done;
    }
    if (name === 'strokeRemoved') strokes = strokes.filter((s) => s.strokeId !== p.strokeId);
  }
  return strokes;
}

describe("memory's hidden cards and its shown miss", () => {
  type Room = NonNullable<ReturnType<TestServer['server']['registry']['get']>>;

  /** Whoever's turn it is turns face-down cards, two by two, until two differ; returns the miss as shown. */
  async function toMiss(room: Room, byId: Map<string, TestClient>): Promise<{ shown: GameState; mover: string; cards: number[] }> {
    for (;;) {
      const game = room.games.snapshotFor(null)!;
      const view = game.view as MemoryView;
      if (view.turn === null) throw new Error('the game ended without a miss');
      const mover = game.players[view.turn]!;
      const down = view.cards.flatMap((c, i) => (c.face === 'down' ? [i] : []));
      await byId.get(mover)!.ok('gameMove', card(game.gameId, down[0]!));
      const shown = await byId.get(mover)!.ok('gameMove', card(game.gameId, down[1]!));
      if ((shown.view as MemoryView).showingMiss) return { shown, mover, cards: [down[0]!, down[1]!] };
    }
  }

  it('shows no face-down picture by any path: replies, notices, a flood, a late join and a resume during a miss; nothing moves while it is shown', async () => {
    const { roomId, room, host, hostId, people } = await hostile.gameRoom({ guests: 3 });
    const [child, cousin, watcher] = people as [(typeof people)[0], (typeof people)[0], (typeof people)[0]];
    const byId = new Map([[child.id, child.client], [cousin.id, cousin.client], [hostId, host]]);
    const replies: (GameState | null)[] = [];
    const started = await host.ok('startGame', { kind: 'memory', players: [child.id, cousin.id, hostId], options: { cards: 16 } });
    replies.push(started);
    const { gameId } = started;
    // A flood out of turn changes nothing; a flood in turn turns at most two cards.
    const outOfTurn = (await Promise.all(Array.from({ length: 500 }, (_, i) => cousin.client.raw('gameMove', card(gameId, i % 16))))) as AnyReply[];
    expect(outOfTurn.every((r) => r.error?.reason === 'not-your-turn')).toBe(true);
    const inTurn = (await Promise.all(Array.from({ length: 500 }, (_, i) => child.client.raw('gameMove', card(gameId, i % 2))))) as AnyReply[];
    expect(inTurn.filter((r) => r.ok)).toHaveLength(2);
    expect(inTurn.every((r) => r.ok || ['illegal-move', 'wait-for-cards'].includes(r.error!.reason!))).toBe(true);
    replies.push(...inTurn.filter((r) => r.ok).map((r) => r.data as GameState));

    const { shown, mover, cards } = (room.games.snapshotFor(null)!.view as MemoryView).showingMiss
      ? { shown: room.games.snapshotFor(null)!, mover: child.id, cards: [0, 1] }
      : await toMiss(room, byId);
    replies.push(shown);
    expect(room.games.settling).toBe(true);
    const moverClient = byId.get(mover)!;
    const moverSecret = [child, cousin].find((p) => p.id === mover)?.secret;
    // While the miss is shown: no flip, no rematch; the two cards are up for everyone.
    expectRefusal(await moverClient.request('gameMove', card(gameId, 15)), 'invalid-state', 'wait-for-cards');
    expectRefusal(await host.request('rematch', { gameId }), 'invalid-state', 'game-not-over');
    expectRefusal(await watcher.client.request('gameMove', card(gameId, 15)), 'forbidden', 'game-players-only');
    // A late joiner lands in the shown miss: the two cards up, all others down with no picture.
    const late = await clients.connect();
    const lateEntry = await late.joinCall({ invitation: { token: await createInvitation(hostile.coordinator, roomId) }, displayName: 'Myöhäinen' });
    expect(lateEntry.game).toEqual(shown);
    expect((lateEntry.game!.view as MemoryView).cards.flatMap((c, i) => (c.face === 'up' ? [i] : []))).toEqual(cards);
    // The mover's tab drops and comes back (a guest) during the miss: the same game, the miss still timed.
    let resumed: GameState | null = null;
    let moverNow = moverClient;
    if (moverSecret) {
      moverClient.close();
      expect(await eventually(() => host.notifications('peerConnectionState').some((n) => n.peerId === mover && n.state === 'reconnecting'))).toBe(true);
      const back = await hostile.resume(roomId, mover, moverSecret);
      resumed = back.entry.game;
      moverNow = back.client;
      expect(resumed).toEqual(room.games.snapshotFor(null));
      expect(room.games.settling).toBe(true);
    }
    // The turn passes after the shown time, once, by the server.
    expect(await eventually(() => room.games.snapshotFor(null)!.version === shown.version + 1, MEMORY_MISS_SHOW_MS + 2000)).toBe(true);
    expect(room.games.settling).toBe(false);
    const passed = room.games.snapshotFor(null)!;
    expect((passed.view as MemoryView).showingMiss).toBe(false);
    expect(passed.players[(passed.view as MemoryView).turn!]).not.toBe(mover);
    expectRefusal(await moverNow.request('gameMove', card(gameId, cards[0]!)), 'invalid-state', 'not-your-turn');

    const everyone = [...new Set([host, child.client, cousin.client, watcher.client, late, moverNow])];
    for (const client of everyone) if (client.socket.connected) await settled(client);
    const looked =
      noFaceDownPicture(replies) +
      noFaceDownPicture([lateEntry.game, resumed]) +
      everyone.reduce((sum, client) => sum + noFaceDownPicture(gamesHeard(client)), 0);
    expect(looked).toBeGreaterThan(20);
    // Every client heard the versions in order, none twice.
    for (const client of [host, watcher.client]) {
      const versions = changes(client).map((n) => n.game!.version);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
      expect(new Set(versions).size).toBe(versions.length);
    }
  });

  it('leaves no timer when a shown miss is cut short: the mover leaves, the game ends and starts again at once, or is replaced', async () => {
    const { room, host, hostId, people } = await hostile.gameRoom({ guests: 2 });
    const [child, cousin] = people as [(typeof people)[0], (typeof people)[0]];
    const byId = new Map([[child.id, child.client], [cousin.id, cousin.client], [hostId, host]]);

    // Ended during the miss, then started again at once: the new game waits for nothing.
    await host.ok('startGame', { kind: 'memory', players: [child.id, cousin.id], options: { cards: 8 } });
    await toMiss(room, byId);
    expect(room.games.settling).toBe(true);
    await host.ok('endGame', { gameId: room.games.snapshotFor(null)!.gameId });
    expect(room.games.settling).toBe(false);
    const again = await host.ok('startGame', { kind: 'memory', players: [child.id, cousin.id], options: { cards: 8 } });
    expect(room.games.settling).toBe(false);
    expect(again.view).toMatchObject({ turn: 0, showingMiss: false, cards: Array(8).fill({ face: 'down' }) });

    // Replaced during the miss by another game: no timer.
    await toMiss(room, byId);
    expect(room.games.settling).toBe(true);
    const noughts = await host.ok('startGame', { kind: 'noughts-and-crosses', players: [child.id, cousin.id] });
    expect(room.games.settling).toBe(false);
    expect(await child.client.ok('gameMove', cell(noughts.gameId, 4))).toMatchObject({ view: { turn: 1 } });

    // The mover leaves for good during the miss: the cards go down and the turn passes at once.
    const third = await host.ok('startGame', { kind: 'memory', players: [child.id, cousin.id, hostId], options: { cards: 8 } });
    const { shown, mover } = await toMiss(room, byId);
    const leaving = byId.get(mover)!;
    await leaving.ok('leaveRoom', {});
    expect(room.games.settling).toBe(false);
    const after = room.games.snapshotFor(null)!;
    expect(after.version).toBe(shown.version + 1);
    expect(after.view).toMatchObject({ showingMiss: false });
    expect((after.view as MemoryView).cards.filter((c) => c.face === 'up')).toEqual([]);
    const next = after.players[(after.view as MemoryView).turn!]!;
    expect(next).not.toBe(mover);
    const down = (after.view as MemoryView).cards.findIndex((c) => c.face === 'down');
    expect(await byId.get(next)!.ok('gameMove', card(third.gameId, down))).toMatchObject({ view: { showingMiss: false } });
  });
});

describe('the drawing board with many hands', () => {
  /** The stroke notices `client` heard, as (name, stroke id, points) in the order heard. */
  const strokeNotices = (client: TestClient) =>
    client.received
      .filter((n) => n.name.startsWith('stroke'))
      .map(({ name, payload }) => {
        const p = payload as { stroke?: Stroke; strokeId?: number; points?: number[]; done?: boolean };
        const id = p.stroke?.strokeId ?? p.strokeId!;
        return { name, id, by: p.stroke?.by, points: JSON.stringify(p.stroke?.points ?? p.points ?? []), done: p.done ?? p.stroke?.done };
      });

  it('orders twenty drawers the same for everyone with rising ids, and a late joiner gets the points so far, then the rest once, in order', async () => {
    const { roomId, room, host, people } = await hostile.gameRoom({ guests: 20, capacity: 25 });
    const { gameId } = await host.ok('startGame', { kind: 'drawing' });
    // Every drawer: a stroke under the same key as everyone else, then batches, sent without waiting.
    const draw = (round: number) =>
      people.flatMap(({ client }, i) => [
        ...(round === 0 ? [client.request('startStroke', { gameId, key: 7, colour: 'red', size: 'large', points: line(2, i * 40) })] : []),
        client.request('extendStroke', { gameId, key: 7, points: line(3, i * 40 + round * 3), done: round === 4 }),
      ]);
    const pending = [...draw(0), ...draw(1)];
    // Someone joins while the strokes are being drawn.
    const late = await clients.connect();
    const joining = late.joinCall({ invitation: { token: await createInvitation(hostile.coordinator, roomId) }, displayName: 'Myöhäinen' });
    pending.push(...draw(2));
    const lateEntry = await joining;
    // Still being drawn when it came in: no stroke finished yet.
    expect(boardOf(lateEntry.game).every((s) => !s.done)).toBe(true);
    pending.push(...draw(3), ...draw(4));
    const replies = (await Promise.all(pending)) as AnyReply[];
    expect(replies.filter((r) => !r.ok)).toEqual([]);

    const strokes = boardOf(room.games.snapshotFor(null));
    expect(strokes).toHaveLength(20);
    const ids = strokes.map((s) => s.strokeId);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(strokes.map((s) => s.by)).size).toBe(20);
    for (const stroke of strokes) expect(stroke).toMatchObject({ done: true, points: expect.any(Array) });
    for (const stroke of strokes) expect(stroke.points).toHaveLength(2 * (2 + 5 * 3));
    // The late joiner's entry held some of the points drawn so far.
    expect(boardOf(lateEntry.game).length).toBeGreaterThan(0);
    for (const client of [host, late, ...people.map((p) => p.client)]) await settled(client);

    // Everyone has the whole board from what they heard (their own strokes they drew themselves) ...
    const whole = JSON.stringify(strokes);
    expect(JSON.stringify(boardSeen(host))).toBe(whole);
    expect(JSON.stringify(boardSeen(late, lateEntry.game))).toBe(whole);
    for (const { client, id } of people) expect(JSON.stringify(boardSeen(client))).toBe(JSON.stringify(strokes.filter((s) => s.by !== id)));
    // ... heard in one order: each one's notices are the host's without their own.
    const all = strokeNotices(host);
    expect(all.filter((n) => n.name === 'strokeStarted').map((n) => n.id)).toEqual(ids);
    const byId = new Map(strokes.map((s) => [s.strokeId, s.by]));
    for (const { client, id } of people) expect(strokeNotices(client)).toEqual(all.filter((n) => byId.get(n.id) !== id));
    // The late joiner heard exactly the host's notices after its entry: no point twice, none missing.
    const lateHeard = strokeNotices(late);
    expect(lateHeard.filter((n) => n.done).length).toBe(20);
    expect(lateHeard).toEqual(all.slice(all.length - lateHeard.length));
  });

  it('keeps keys apart per drawer, finishes a stroke whose key is used again, and lets a drawer who drops mid-stroke resume it', async () => {
    const { roomId, room, host, people } = await hostile.gameRoom({ guests: 2 });
    const [a, b] = people as [(typeof people)[0], (typeof people)[0]];
    const { gameId } = await host.ok('startGame', { kind: 'drawing' });
    // The same key by two drawers: two strokes.
    const first = await a.client.ok('startStroke', { gameId, key: 5, colour: 'red', size: 'large', points: line(2) });
    const other = await b.client.ok('startStroke', { gameId, key: 5, colour: 'blue', size: 'medium', points: line(2, 100) });
    // The key used again while its stroke is being drawn: the first is finished, a new one begins.
    const second = await a.client.ok('startStroke', { gameId, key: 5, colour: 'green', size: 'large', points: line(1, 200) });
    expect([first.strokeId, other.strokeId, second.strokeId]).toEqual([1, 2, 3]);
    await a.client.ok('extendStroke', { gameId, key: 5, points: line(2, 300), done: true });
    expectRefusal(await a.client.request('extendStroke', { gameId, key: 5, points: line(1), done: false }), 'invalid-state', 'stroke-not-found');
    await b.client.ok('extendStroke', { gameId, key: 5, points: line(1, 400), done: false });
    expect(boardOf(room.games.snapshotFor(null))).toEqual([
      { strokeId: 1, by: a.id, colour: 'red', size: 'large', points: line(2), done: true },
      { strokeId: 2, by: b.id, colour: 'blue', size: 'medium', points: [...line(2, 100), ...line(1, 400)], done: false },
      { strokeId: 3, by: a.id, colour: 'green', size: 'large', points: [...line(1, 200), ...line(2, 300)], done: true },
    ]);

    // A's connection drops in the middle of a stroke and comes back with its media: the stroke
    // waits, and goes on under its key (a reloaded page instead finishes it: games-drawing.test.ts).
    await a.client.ok('startStroke', { gameId, key: 9, colour: 'purple', size: 'large', points: line(3, 500) });
    a.client.close();
    expect(await eventually(() => host.notifications('peerConnectionState').some((n) => n.peerId === a.id && n.state === 'reconnecting'))).toBe(true);
    await b.client.ok('extendStroke', { gameId, key: 5, points: line(1, 410), done: true });
    const back = await hostile.resume(roomId, a.id, a.secret, true);
    const waiting = boardOf(back.entry.game).find((s) => s.strokeId === 4);
    expect(waiting).toMatchObject({ by: a.id, points: line(3, 500), done: false });
    await back.client.ok('extendStroke', { gameId, key: 9, points: line(2, 600), done: true });
    await settled(host);
    await settled(b.client);
    const whole = boardOf(room.games.snapshotFor(null));
    expect(whole.find((s) => s.strokeId === 4)).toMatchObject({ points: [...line(3, 500), ...line(2, 600)], done: true });
    expect(JSON.stringify(boardSeen(host))).toBe(JSON.stringify(whole));
    expect(JSON.stringify(boardSeen(b.client))).toBe(JSON.stringify(whole.filter((s) => s.by !== b.id)));
    // The resumed drawer's undo takes back their own last stroke, not B's.
    expect(await back.client.ok('undoStroke', { gameId })).toEqual({ strokeId: 4 });
    expect(await back.client.ok('startStroke', { gameId, key: 9, colour: 'black', size: 'medium', points: line(1) })).toEqual({ strokeId: 5 });
  });
  it('holds one stroke to DRAWING_LIMITS.pointsPerStroke and a hand to its points a second, as the protocol says them', async () => {
    const { room, host, people } = await hostile.gameRoom({ guests: 1 });
    const [a] = people as [(typeof people)[0]];
    const { gameId } = await host.ok('startGame', { kind: 'drawing' });
    const batch = DRAWING_LIMITS.pointsPerBatch;
    await a.client.ok('startStroke', { gameId, key: 1, colour: 'red', size: 'large', points: line(batch) });
    // Batches as fast as they go: the budget (twice a second's points) runs out, then refills.
    let drawn = batch;
    let tooFast = 0;
    while (drawn < DRAWING_LIMITS.pointsPerStroke) {
      const n = Math.min(batch, DRAWING_LIMITS.pointsPerStroke - drawn);
      const sent = await eventually(async () => {
        const reply = (await a.client.request('extendStroke', { gameId, key: 1, points: line(n, drawn), done: false })) as AnyReply;
        if (reply.ok) return true;
        expectRefusal(reply, 'rate-limited', reply.error?.reason === undefined ? undefined : 'drawing-too-fast');
        if (reply.error?.reason) tooFast++;
        return false;
      }, 5000, 50);
      expect(sent).toBe(true);
      drawn += n;
    }
    expect(tooFast).toBeGreaterThan(0);
    // One more point is one too many; lifting the finger still fits, and a new stroke goes on.
    const full = room.games.snapshotFor(null);
    expect(await eventually(async () => {
      const reply = (await a.client.request('extendStroke', { gameId, key: 1, points: line(1), done: false })) as AnyReply;
      if (reply.error?.code === 'rate-limited') return false;
      expectRefusal(reply, 'invalid-state', 'stroke-too-long');
      return true;
    }, 5000, 100)).toBe(true);
    expect(room.games.snapshotFor(null)).toEqual(full);
    expect(boardOf(full)[0]!.points).toHaveLength(2 * DRAWING_LIMITS.pointsPerStroke);
    expect(await a.client.ok('extendStroke', { gameId, key: 1, points: [], done: true })).toEqual({});
    expect(await unlimited(a.client, 'startStroke', { gameId, key: 2, colour: 'red', size: 'large', points: line(1) })).toMatchObject({ ok: true, data: { strokeId: 2 } });
  });
});

describe('clumsy hands', () => {
  it('makes one new game when both players tap "play again" at once, and both are in it', async () => {
    const { room, people } = await hostile.gameRoom();
    const [child, cousin] = people as [(typeof people)[0], (typeof people)[0]];
    const { gameId } = await child.client.ok('startGame', { kind: 'noughts-and-crosses', players: [child.id, cousin.id] });
    for (const [who, at] of [[child, 0], [cousin, 3], [child, 1], [cousin, 4], [child, 2]] as const) await who.client.ok('gameMove', cell(gameId, at));
    const taps = (await Promise.all([child.client.raw('rematch', { gameId }), cousin.client.raw('rematch', { gameId }), child.client.raw('rematch', { gameId })])) as AnyReply[];
    // The later taps find the game that began and are answered with it: no refusal for a
    // child to read, and no second new game.
    expect(taps.every((r) => r.ok)).toBe(true);
    const again = taps[0]!.data as GameState;
    for (const tap of taps) expect((tap.data as GameState).gameId).toBe(again.gameId);
    expect(room.games.snapshotFor(null)).toEqual(again);
    for (const { client } of [child, cousin]) expect(await eventually(() => changes(client).at(-1)?.game?.gameId === again.gameId)).toBe(true);
    expect(await cousin.client.ok('gameMove', cell(again.gameId, 4))).toMatchObject({ view: { turn: 0 } });
  });
});
