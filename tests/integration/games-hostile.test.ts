import type { GameState, MemoryView } from '@tupa/signaling/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardOf, card, cell, changes, expectRefusal, HostileGamesServer, line, noFaceDownPicture, settled, unlimited, type AnyReply } from '../support/hostileGames.ts';
import { eventually } from '../support/server.ts';
import type { TestClient } from '../support/signalingClient.ts';
import { createInvitation } from '../support/staffAccounts.ts';

// The games against hostile clients over real Socket.IO, against a whole Tupa: every game request
// before joining and from the lobby (and the game a guest let in sees, with no face-down picture),
// malformed and spoofed payloads, roles that may not, another room's game and a message too big,
// and floods of the same request at once. The rules: the server never answers `internal` nor logs
// an error, a refusal changes nothing, and the room still plays afterwards (a legal move is
// accepted). The general request budget is lifted so that floods reach the games themselves
// (games.test.ts tests the budget); the drawing's own budgets stay. Memory's hidden cards, many
// hands on the drawing board and clumsy hands are in games-hostile-play.test.ts.

const hostile = new HostileGamesServer();
const { clients } = hostile;

beforeAll(() => hostile.start());
// No request ever failed inside the server: nothing logged at error.
afterAll(async () => expect(await hostile.stop()).toEqual([]));

let frameIds = 90_000;
/** Writes a Socket.IO event frame as it is (`json`: the array of name and payload) and returns its acknowledgement's arguments. */
async function rawFrame(client: TestClient, json: string): Promise<unknown> {
  const id = frameIds++;
  const engine = client.socket.io.engine;
  const reply = new Promise<unknown>((resolve) => {
    const onMessage = (data: unknown) => {
      if (typeof data !== 'string' || !data.startsWith(`3${id}[`)) return;
      engine.off('message', onMessage);
      resolve(JSON.parse(data.slice(String(id).length + 1)));
    };
    engine.on('message', onMessage);
  });
  engine.write(`2${id}${json}`);
  return reply;
}

/** Every game request, each with a well-formed payload. */
function everyGameRequest(gameId: string, players: string[]): [string, unknown][] {
  return [
    ['startGame', { kind: 'drawing' }],
    ['startGame', { kind: 'memory', players, options: { cards: 8 } }],
    ['gameMove', { gameId, move: { kind: 'memory', card: 0 } }],
    ['rematch', { gameId }],
    ['endGame', { gameId }],
    ['startStroke', { gameId, key: 1, colour: 'red', size: 'large', points: [1, 2] }],
    ['extendStroke', { gameId, key: 1, points: [3, 4], done: true }],
    ['undoStroke', { gameId }],
    ['clearBoard', { gameId }],
  ];
}

describe('game requests from where no game may be played or seen', () => {
  it('refuses every game request before joining and from the lobby; a waiting guest sees no game until let in, then the game as it is', async () => {
    const { roomId, room, host, hostId } = await hostile.gameRoom({ lobbyEnabled: true, guests: 0 });
    const child = await clients.connect();
    const c = await child.ok('joinRoom', { invitation: { token: await createInvitation(hostile.coordinator, roomId) }, displayName: 'Ilona' });
    expect(c.admission).toBe('lobby');
    expect(await host.ok('admitFromLobby', { guestId: c.peerId })).toEqual({ admitted: 1 });
    const waiting = await clients.connect();
    const w = await waiting.ok('joinRoom', { invitation: { token: await createInvitation(hostile.coordinator, roomId) }, displayName: 'Onni' });
    expect(w.admission).toBe('lobby');
    expect(w).not.toHaveProperty('game');

    // A game and a flipped card, while one guest waits in the lobby.
    const { gameId } = await host.ok('startGame', { kind: 'memory', players: [hostId, c.peerId], options: { cards: 8 } });
    await host.ok('gameMove', card(gameId, 3));
    const before = room.games.snapshotFor(null);
    // Named as a player from the lobby: not in the call.
    expectRefusal(await host.request('startGame', { kind: 'memory', players: [hostId, w.peerId], options: { cards: 8 } }), 'invalid-state', 'game-players-invalid');
    expectRefusal(await host.request('startGame', { kind: 'noughts-and-crosses', players: [c.peerId, w.peerId] }), 'invalid-state', 'game-players-invalid');

    const stranger = await clients.connect();
    for (const [name, payload] of everyGameRequest(gameId, [hostId, c.peerId])) {
      expectRefusal(await unlimited(waiting, name, payload), 'invalid-state');
      expectRefusal(await unlimited(stranger, name, payload), 'invalid-state');
    }
    expect(room.games.snapshotFor(null)).toEqual(before);
    await settled(host);
    // The lobby heard nothing of the game, and no stroke.
    expect(waiting.received.filter((n) => /game|stroke/i.test(n.name))).toEqual([]);
    expect(stranger.received).toEqual([]);

    // Let in: the game as it is now, with the flipped card and no face-down picture; then every change.
    await host.ok('admitFromLobby', { guestId: w.peerId });
    expect(await eventually(() => waiting.notifications('admitted').length === 1)).toBe(true);
    const entry = waiting.notifications('admitted')[0]!.game;
    expect(entry).toEqual(room.games.snapshotFor(w.peerId));
    expect((entry?.view as MemoryView).cards[3]).toMatchObject({ face: 'up' });
    expect(noFaceDownPicture([entry])).toBe(1);
    const next = await host.ok('gameMove', card(gameId, 4));
    expect(await eventually(() => changes(waiting).some((n) => n.game?.version === next.version))).toBe(true);
    // Let in, they watch: no move, no end.
    expectRefusal(await waiting.request('gameMove', card(gameId, 5)), 'forbidden', 'game-players-only');
  });
});

describe('malformed and spoofed game requests', () => {
  it('answers every malformed payload of every game request with validation, never internal, and the game goes on', async () => {
    const { room, host, people } = await hostile.gameRoom();
    const [child, cousin] = people as [(typeof people)[0], (typeof people)[0]];
    const { gameId } = await host.ok('startGame', { kind: 'noughts-and-crosses', players: [child.id, cousin.id] });
    await child.client.ok('gameMove', cell(gameId, 4));
    const before = room.games.snapshotFor(null);
    const big = 'ž'.repeat(30_000);
    const proto = (json: string) => JSON.parse(json) as unknown;
    const bad: Record<string, unknown[]> = {
      startGame: [
        { kind: 'noughts-and-crosses' },
        { kind: 'noughts-and-crosses', players: [child.id] },
        { kind: 'noughts-and-crosses', players: [child.id, cousin.id, 'x'] },
        { kind: 'noughts-and-crosses', players: `${child.id},${cousin.id}` },
        { kind: 'noughts-and-crosses', players: [1, 2] },
        { kind: 'noughts-and-crosses', players: [child.id, ''] },
        { kind: 'noughts-and-crosses', players: [child.id, 'x'.repeat(65)] },
        { kind: 'memory', players: Array(3000).fill(child.id.slice(0, 8)), options: { cards: 8 } },
        { kind: 'memory', players: [child.id, cousin.id] },
        { kind: 'memory', players: [child.id], options: { cards: 8 } },
        { kind: 'memory', players: [child.id, cousin.id, child.id, cousin.id, child.id], options: { cards: 8 } },
        ...[10, 7.5, -8, '8', null, Number.POSITIVE_INFINITY, Number.NaN, 1e308, 0].map((cards) => ({ kind: 'memory', players: [child.id, cousin.id], options: { cards } })),
        { kind: 'chess' },
        { kind: '__proto__' },
        { kind: 'constructor' },
        { kind: ['drawing'] },
        proto('{"__proto__": {"kind": "drawing"}}'),
        proto('{"constructor": {"prototype": {"kind": "drawing"}}}'),
      ],
      gameMove: [
        ...[Number.NaN, Number.POSITIVE_INFINITY, -1, 9, 1.5, 2 ** 53, 1e308, '4', [4], { valueOf: 4 }, null, true].map((at) => ({ gameId, move: { kind: 'noughts-and-crosses', cell: at } })),
        ...[-1, 16, 0.5].map((at) => ({ gameId, move: { kind: 'memory', card: at } })),
        { gameId: 'x'.repeat(65), move: { kind: 'noughts-and-crosses', cell: 0 } },
        { gameId: big, move: { kind: 'noughts-and-crosses', cell: 0 } },
        { gameId: '', move: { kind: 'noughts-and-crosses', cell: 0 } },
        { gameId, moves: [{ kind: 'noughts-and-crosses', cell: 0 }] },
        { gameId, move: [{ kind: 'noughts-and-crosses', cell: 0 }, { kind: 'noughts-and-crosses', cell: 1 }] },
        proto(`{"gameId": "${gameId}", "move": {"__proto__": {"kind": "noughts-and-crosses", "cell": 0}}}`),
        proto(`{"__proto__": {"gameId": "${gameId}"}, "move": {"kind": "noughts-and-crosses", "cell": 0}}`),
      ],
      rematch: [{ gameId: Buffer.from(gameId) }, {}, { gameId: 5 }, { gameId: '' }, { gameId: 'x'.repeat(65) }, { gameId: [gameId] }, proto(`{"__proto__": {"gameId": "${gameId}"}}`)],
      endGame: [null, 7, 'x', [], true, big, {}, { gameId: '' }, { gameId: 7 }, { gameId: big }],
      startStroke: [
        ...[-1, 0.5, 2 ** 31, '1', null, Number.NaN].map((key) => ({ gameId, key, colour: 'red', size: 'large', points: [1, 2] })),
        ...['pink', '__proto__', 'constructor', 'toString', ''].map((colour) => ({ gameId, key: 1, colour, size: 'large', points: [1, 2] })),
        ...['huge', 36, null].map((size) => ({ gameId, key: 1, colour: 'red', size, points: [1, 2] })),
        ...[[], [1], [1, 2, 3], [1001, 0], [0, -1], [0.5, 0], [null, 0], [Number.POSITIVE_INFINITY, 0], 'xy', line(241), Array(20_000).fill(1), { 0: 1, 1: 2, length: 2 }].map(
          (points) => ({ gameId, key: 1, colour: 'red', size: 'large', points }),
        ),
        { gameId, key: 1, colour: 'red', size: 'large' },
        { key: 1, colour: 'red', size: 'large', points: [1, 2] },
        { gameId: '', key: 1, colour: 'red', size: 'large', points: [1, 2] },
        // Binary attachments where numbers belong.
        { gameId, key: 1, colour: 'red', size: 'large', points: new Uint8Array([1, 2, 3, 4]) },
        { gameId, key: 1, colour: 'red', size: 'large', points: Buffer.alloc(40_000) },
        Buffer.from(`{"gameId":"${gameId}","key":1,"colour":"red","size":"large","points":[1,2]}`),
      ],
      extendStroke: [
        { gameId, key: 1, points: [1, 2] },
        { gameId, key: 1, points: [1, 2], done: 'yes' },
        { gameId, key: 1, points: [1], done: false },
        { gameId, key: 1, points: line(241), done: false },
        { gameId, points: [1, 2], done: true },
        { gameId, key: -5, points: [], done: true },
        { key: 1, points: [], done: true },
        { gameId: [gameId], key: 1, points: [], done: true },
      ],
      undoStroke: [null, 7, 'x', [], true, {}, { gameId: null }, proto(`{"__proto__": {"gameId": "${gameId}"}}`)],
      clearBoard: [null, 7, 'x', [], true, {}, { gameId: 1e308 }, proto(`{"constructor": {"gameId": "${gameId}"}}`)],
    };
    let sent = 0;
    for (const [name, payloads] of Object.entries(bad)) {
      for (const payload of payloads) {
        for (const client of [cousin.client, host]) {
          const reply = await unlimited(client, name, payload);
          // The schema's answer, not a TypeError inside a handler (which also reads as validation).
          expect({ name, payload: JSON.stringify(payload)?.slice(0, 100), reply }).toMatchObject({
            reply: { ok: false, error: { code: 'validation', message: expect.stringMatching(new RegExp(`^invalid ${name} request`)) } },
          });
          sent++;
        }
      }
    }
    expect(sent).toBeGreaterThan(150);
    // Nested 30 000 deep (60 KB): written as the frame itself, since a Socket.IO client will not encode it.
    const deepArrays = `{"gameId":"${gameId}","key":1,"colour":"red","size":"large","points":${'['.repeat(30_000)}${']'.repeat(30_000)}}`;
    const deepObjects = `{"gameId":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`;
    for (const [name, json] of [['startStroke', deepArrays], ['rematch', deepObjects], ['gameMove', deepObjects]] as const) {
      expect(await rawFrame(child.client, `["${name}",${json}]`)).toMatchObject([{ ok: false, error: { code: 'validation' } }]);
    }
    expect(({} as Record<string, unknown>).kind).toBeUndefined();
    expect(room.games.snapshotFor(null)).toEqual(before);
    for (const client of [host, child.client, cousin.client]) expect(client.socket.connected).toBe(true);
    await settled(child.client);
    expect(changes(child.client).at(-1)?.game).toEqual(before);
    // The game goes on: the one whose turn it is moves.
    expect(await cousin.client.ok('gameMove', cell(gameId, 0))).toMatchObject({ view: { cells: [1, null, null, null, 0, null, null, null, null] } });
  });

  it('takes no one else\'s name: extra fields naming another player, a stroke id or a role are dropped', async () => {
    const { room, host, hostId, people } = await hostile.gameRoom({ kind: 'storytime' });
    const [child, cousin] = people as [(typeof people)[0], (typeof people)[0]];
    const { gameId } = await host.ok('startGame', { kind: 'noughts-and-crosses', players: [child.id, cousin.id] });
    const spoof = { player: child.id, playerId: child.id, by: child.id, peerId: child.id, mark: 0, role: 'host' };
    // It is the child's turn: the cousin cannot move for them, the host (watching) neither.
    expectRefusal(await cousin.client.raw('gameMove', { ...cell(gameId, 0), ...spoof }), 'invalid-state', 'not-your-turn');
    expectRefusal(await host.raw('gameMove', { ...cell(gameId, 0), ...spoof }), 'forbidden', 'game-players-only');
    expectRefusal(await cousin.client.raw('gameMove', { gameId, move: { kind: 'noughts-and-crosses', cell: 0, ...spoof } }), 'invalid-state', 'not-your-turn');
    // The child moving "as the cousin" moves as themself.
    const moved = await child.client.raw('gameMove', { ...cell(gameId, 2), player: cousin.id, by: cousin.id, mark: 1 });
    expect(moved).toMatchObject({ ok: true, data: { view: { cells: [null, null, 0, null, null, null, null, null, null], turn: 1 } } });
    // A memory game with a deck, a seed and a starter of the client's choosing is dealt by the server.
    const dealt = await host.raw('startGame', { kind: 'memory', players: [child.id, cousin.id], options: { cards: 8, deck: [0, 0, 1, 1, 2, 2, 3, 3], seed: 1 }, starter: 1, deck: [0, 0] });
    expect(dealt).toMatchObject({ ok: true, data: { startedBy: hostId, view: { turn: 0, cards: Array(8).fill({ face: 'down' }) } } });

    // A drawing board: the stroke is the drawer's own, numbered by the server, not done.
    const board = await host.ok('startGame', { kind: 'drawing' });
    const started = await child.client.raw('startStroke', { gameId: board.gameId, key: 1, colour: 'red', size: 'large', points: [1, 2], by: hostId, strokeId: 999, done: true });
    expect(started).toEqual({ ok: true, data: { strokeId: 1 } });
    expect(boardOf(room.games.snapshotFor(null))).toEqual([{ strokeId: 1, by: child.id, colour: 'red', size: 'large', points: [1, 2], done: false }]);
    // Clearing and ending say nothing of roles in their payload: a guest who may not stays refused.
    expectRefusal(await cousin.client.raw('clearBoard', { gameId: board.gameId, role: 'host', by: hostId, startedBy: cousin.id }), 'forbidden', 'game-lead-only');
    expectRefusal(await cousin.client.raw('endGame', { gameId: board.gameId, role: 'host', by: hostId, force: true }), 'forbidden', 'game-lead-only');
    expectRefusal(await cousin.client.raw('undoStroke', { gameId: board.gameId, strokeId: 1, by: child.id }), 'invalid-state', 'nothing-to-undo');
    expect(boardOf(room.games.snapshotFor(null))).toHaveLength(1);
  });
});

describe('who may not', () => {
  it('lets a guest of a storytime room neither start, end, clear nor rematch, a watcher not move, and names only players in the call, each once', async () => {
    const { roomId, room, host, hostId, people } = await hostile.gameRoom({ kind: 'storytime', guests: 3 });
    const [child, cousin, leaver] = people as [(typeof people)[0], (typeof people)[0], (typeof people)[0]];
    await leaver.client.ok('leaveRoom', {});
    for (const players of [[child.id, child.id], [hostId, hostId], [child.id, leaver.id], [child.id, 'someone-else'], [child.id, roomId]]) {
      expectRefusal(await host.request('startGame', { kind: 'noughts-and-crosses', players }), 'invalid-state', 'game-players-invalid');
    }
    expectRefusal(await host.request('startGame', { kind: 'memory', players: [child.id, cousin.id, child.id], options: { cards: 8 } }), 'invalid-state', 'game-players-invalid');
    expectRefusal(await child.client.request('startGame', { kind: 'noughts-and-crosses', players: [child.id, cousin.id] }), 'forbidden', 'game-lead-only');
    expectRefusal(await child.client.request('startGame', { kind: 'memory', players: [child.id, cousin.id], options: { cards: 8 } }), 'forbidden', 'game-lead-only');
    expect(room.games.snapshotFor(null)).toBeNull();

    // The host's board: every guest draws, no guest clears or closes it.
    const { gameId: boardId } = await host.ok('startGame', { kind: 'drawing' });
    const hostStroke = await host.ok('startStroke', { gameId: boardId, key: 1, colour: 'blue', size: 'large', points: line(3) });
    await child.client.ok('startStroke', { gameId: boardId, key: 1, colour: 'red', size: 'large', points: line(2) });
    const board = room.games.snapshotFor(null);
    expectRefusal(await child.client.request('clearBoard', { gameId: boardId }), 'forbidden', 'game-lead-only');
    expectRefusal(await cousin.client.request('endGame', { gameId: boardId }), 'forbidden', 'game-lead-only');
    expectRefusal(await cousin.client.request('startGame', { kind: 'drawing' }), 'forbidden', 'game-lead-only');
    // An undo takes back one's own stroke only, never the host's.
    expectRefusal(await cousin.client.request('undoStroke', { gameId: boardId }), 'invalid-state', 'nothing-to-undo');
    expect(room.games.snapshotFor(null)).toEqual(board);
    expect(await child.client.ok('undoStroke', { gameId: boardId })).toEqual({ strokeId: hostStroke.strokeId + 1 });
    expectRefusal(await child.client.request('undoStroke', { gameId: boardId }), 'invalid-state', 'nothing-to-undo');
    expect(boardOf(room.games.snapshotFor(null)).map((s) => s.by)).toEqual([hostId]);

    // Noughts and crosses of the host and the child: the cousin watches.
    const { gameId } = await host.ok('startGame', { kind: 'noughts-and-crosses', players: [child.id, hostId] });
    expectRefusal(await cousin.client.request('gameMove', cell(gameId, 0)), 'forbidden', 'game-players-only');
    for (const [who, at] of [[child.client, 0], [host, 3], [child.client, 1], [host, 4], [child.client, 2]] as const) await who.ok('gameMove', cell(gameId, at));
    const over = room.games.snapshotFor(null);
    expect(over).toMatchObject({ over: true });
    expectRefusal(await cousin.client.request('rematch', { gameId }), 'forbidden', 'game-lead-only');
    expectRefusal(await cousin.client.request('endGame', { gameId }), 'forbidden', 'game-lead-only');
    expectRefusal(await cousin.client.request('gameMove', cell(gameId, 8)), 'forbidden', 'game-players-only');
    expect(room.games.snapshotFor(null)).toEqual(over);
    // A player may start it again, and end it.
    const again = await child.client.ok('rematch', { gameId });
    expect(again.view).toMatchObject({ turn: 1, starter: 1 });
    expect(await host.ok('gameMove', cell(again.gameId, 4))).toMatchObject({ view: { turn: 0 } });
  });

  it('answers a move for another room\'s game with game-none, and a message over 64 KiB drops only the sender, who comes back and plays on', async () => {
    const first = await hostile.gameRoom();
    const second = await hostile.gameRoom();
    const [a1, b1] = first.people as [(typeof first.people)[0], (typeof first.people)[0]];
    const [a2, b2] = second.people as [(typeof second.people)[0], (typeof second.people)[0]];
    const game1 = await first.host.ok('startGame', { kind: 'noughts-and-crosses', players: [a1.id, b1.id] });
    const game2 = await second.host.ok('startGame', { kind: 'noughts-and-crosses', players: [a2.id, b2.id] });
    const before2 = second.room.games.snapshotFor(null);
    expectRefusal(await a1.client.request('gameMove', cell(game2.gameId, 0)), 'invalid-state', 'game-none');
    expectRefusal(await first.host.request('rematch', { gameId: game2.gameId }), 'invalid-state', 'game-not-over');
    expect(second.room.games.snapshotFor(null)).toEqual(before2);

    const before1 = first.room.games.snapshotFor(null);
    const gone = new Promise<void>((resolve) => a1.client.socket.once('disconnect', () => resolve()));
    void a1.client.raw('gameMove', { gameId: 'g'.repeat(64 * 1024), move: { kind: 'noughts-and-crosses', cell: 0 } }).catch(() => undefined);
    await gone;
    expect(await eventually(() => first.host.notifications('peerConnectionState').some((n) => n.peerId === a1.id && n.state === 'reconnecting'))).toBe(true);
    expect(first.room.games.snapshotFor(null)).toEqual(before1);
    const back = await hostile.resume(first.roomId, a1.id, a1.secret);
    expect(back.entry.game).toEqual(before1);
    expect(await back.client.ok('gameMove', cell(game1.gameId, 0))).toMatchObject({ view: { turn: 1 } });

    // Boards in both rooms: the other room's board id draws, undoes, clears and closes nothing here.
    const board1 = await first.host.ok('startGame', { kind: 'drawing' });
    const board2 = await second.host.ok('startGame', { kind: 'drawing' });
    await b2.client.ok('startStroke', { gameId: board2.gameId, key: 1, colour: 'red', size: 'large', points: line(2) });
    const boardBefore = second.room.games.snapshotFor(null);
    for (const [name, payload] of [
      ['startStroke', { gameId: board2.gameId, key: 1, colour: 'red', size: 'large', points: line(2) }],
      ['extendStroke', { gameId: board2.gameId, key: 1, points: line(2), done: true }],
      ['undoStroke', { gameId: board2.gameId }],
      ['clearBoard', { gameId: board2.gameId }],
      ['endGame', { gameId: board2.gameId }],
    ] as const) {
      expectRefusal(await first.host.raw(name, payload), 'invalid-state', 'game-none');
    }
    expect(second.room.games.snapshotFor(null)).toEqual(boardBefore);
    expect(first.room.games.snapshotFor(null)?.gameId).toBe(board1.gameId);
  });

  it('ends the game for a player the host removes, whose tab can then do nothing, and when the room becomes a peer group', async () => {
    const { roomId, room, host, people } = await hostile.gameRoom({ guests: 3 });
    const [child, cousin, third] = people as [(typeof people)[0], (typeof people)[0], (typeof people)[0]];
    const { gameId } = await host.ok('startGame', { kind: 'noughts-and-crosses', players: [child.id, cousin.id] });
    await host.ok('removeParticipant', { peerId: child.id });
    expect(room.games.snapshotFor(null)).toBeNull();
    for (const client of [cousin.client, third.client]) expect(await eventually(() => changes(client).at(-1)?.game === null)).toBe(true);
    expectRefusal(await child.client.request('gameMove', cell(gameId, 0)), 'invalid-state');
    expectRefusal(await child.client.request('startGame', { kind: 'drawing' }), 'invalid-state');

    // A coordinator makes the room a peer group while a board is open: the next one to come in ends it.
    const board = await third.client.ok('startGame', { kind: 'drawing' });
    await cousin.client.ok('startStroke', { gameId: board.gameId, key: 1, colour: 'red', size: 'large', points: line(2) });
    expect((await hostile.coordinator.send('PATCH', `/api/admin/rooms/${roomId}`, { kind: 'peer-group', childrenPresent: false })).status).toBe(200);
    const late = await clients.connect();
    const entry = await late.joinCall({ invitation: { token: await createInvitation(hostile.coordinator, roomId) }, displayName: 'Isä' });
    expect(entry.game).toBeNull();
    expect(room.games.snapshotFor(null)).toBeNull();
    expect(await eventually(() => changes(cousin.client).at(-1)?.game === null)).toBe(true);
    expectRefusal(await cousin.client.request('startStroke', { gameId: board.gameId, key: 2, colour: 'red', size: 'large', points: line(2) }), 'invalid-state');
    expectRefusal(await third.client.request('startGame', { kind: 'drawing' }), 'invalid-state', 'game-not-allowed');
  });
});

describe('floods of the same request at once', () => {
  it('answers 500 of each game request sent at once, never internal, versions rising by one for each change, and the room plays on', async () => {
    const { room, host, people } = await hostile.gameRoom();
    const [child, cousin] = people as [(typeof people)[0], (typeof people)[0]];
    const flood = async (client: TestClient, name: string, payload: (i: number) => unknown) =>
      (await Promise.all(Array.from({ length: 500 }, (_, i) => client.raw(name, payload(i))))) as AnyReply[];
    const codes = (replies: AnyReply[]) => [...new Set(replies.map((r) => (r.ok ? 'ok' : `${r.error!.code}:${r.error!.reason ?? ''}`)))].sort();

    // 500 starts: every one a new game replacing the last, each a version of its own.
    const v0 = room.games.snapshotFor(null)?.version ?? 0;
    const starts = await flood(host, 'startGame', (i) => ({ kind: 'noughts-and-crosses', players: i % 2 ? [child.id, cousin.id] : [cousin.id, child.id] }));
    expect(codes(starts)).toEqual(['ok']);
    const last = room.games.snapshotFor(null)!;
    expect(new Set(starts.map((r) => (r.data as GameState).gameId)).size).toBe(500);
    expect((starts.at(-1)!.data as GameState).gameId).toBe(last.gameId);
    await settled(child.client);
    const versions = changes(child.client).map((n) => n.game?.version);
    expect(versions).toEqual(Array.from({ length: 500 }, (_, i) => v0 + 1 + i));

    // 500 moves from the one whose turn it is: one is the move.
    const [x] = last.players as [string, string];
    const mover = x === child.id ? child.client : cousin.client;
    const moves = await flood(mover, 'gameMove', (i) => cell(last.gameId, i % 9));
    expect(moves.filter((r) => r.ok)).toHaveLength(1);
    expect(codes(moves)).toEqual(['invalid-state:illegal-move', 'invalid-state:not-your-turn', 'ok'].filter((c) => codes(moves).includes(c)));
    // 500 rematches of a game not over, then 500 of one that is: one rematch.
    expect(codes(await flood(cousin.client, 'rematch', () => ({ gameId: last.gameId })))).toEqual(['invalid-state:game-not-over']);
    const o = mover;
    const other = mover === child.client ? cousin.client : child.client;
    for (const [who, at] of [[other, 3], [o, 1], [other, 4], [o, 2]] as const) await who.ok('gameMove', cell(last.gameId, at));
    // (the flood's move took a cell of 0..8: the first one, cell 0)
    expect(room.games.snapshotFor(null)).toMatchObject({ over: true });
    const versionBefore = room.games.snapshotFor(null)!.version;
    const rematches = await flood(other, 'rematch', () => ({ gameId: last.gameId }));
    // Every tap is answered with the one new game: a repeated "Play again" finds what began.
    expect(codes(rematches)).toEqual(['ok']);
    expect(new Set(rematches.map((r) => (r.data as GameState).gameId)).size).toBe(1);
    expect(room.games.snapshotFor(null)!.version).toBe(versionBefore + 1);

    // 500 ends: one ends it, the others find no game.
    const current = room.games.snapshotFor(null)!.gameId;
    const ends = await flood(child.client, 'endGame', () => ({ gameId: current }));
    expect(ends.filter((r) => r.ok)).toHaveLength(1);
    await settled(cousin.client);
    const ended = changes(cousin.client).at(-1)!;
    expect(ended).toMatchObject({ game: null, by: child.id });
    expect((ended as { version?: number }).version).toBeGreaterThan(changes(cousin.client).at(-2)!.game!.version);
    expect(codes(ends)).toEqual(['invalid-state:game-none', 'ok']);
    expect(room.games.snapshotFor(null)).toBeNull();

    // A board: 500 starts of strokes and 500 batches meet the drawing's own budgets; 500 undos and clears.
    const { gameId: boardId } = await host.ok('startGame', { kind: 'drawing' });
    const strokes = await flood(child.client, 'startStroke', (i) => ({ gameId: boardId, key: i, colour: 'green', size: 'medium', points: line(1, i) }));
    expect(codes(strokes)).toEqual(['ok', 'rate-limited:']);
    const drawn = strokes.filter((r) => r.ok).map((r) => (r.data as { strokeId: number }).strokeId);
    expect(drawn).toEqual([...drawn].sort((a, b) => a - b));
    const batches = await flood(child.client, 'extendStroke', (i) => ({ gameId: boardId, key: i % 5, points: line(1, i), done: false }));
    expect(codes(batches).every((c) => ['ok', 'rate-limited:', 'rate-limited:drawing-too-fast', 'invalid-state:stroke-not-found'].includes(c))).toBe(true);
    const undos = await flood(child.client, 'undoStroke', () => ({ gameId: boardId }));
    expect(undos.filter((r) => r.ok)).toHaveLength(drawn.length);
    expect(codes(undos)).toEqual(['invalid-state:nothing-to-undo', 'ok']);
    expect(boardOf(room.games.snapshotFor(null))).toEqual([]);
    const before = room.games.snapshotFor(null)!.version;
    expect(codes(await flood(host, 'clearBoard', () => ({ gameId: boardId })))).toEqual(['ok']);
    expect(room.games.snapshotFor(null)!.version).toBe(before + 500);
    // For a board that was closed and opened again: none of them touches the new one.
    const { gameId: newBoard } = await host.ok('startGame', { kind: 'drawing' });
    await host.ok('startStroke', { gameId: newBoard, key: 1, colour: 'red', size: 'large', points: line(2) });
    const stale = room.games.snapshotFor(null);
    expect(codes(await flood(host, 'clearBoard', () => ({ gameId: boardId })))).toEqual(['invalid-state:game-none']);
    expect(codes(await flood(host, 'undoStroke', () => ({ gameId: boardId })))).toEqual(['invalid-state:game-none']);
    expect(codes(await flood(host, 'endGame', () => ({ gameId: boardId })))).toEqual(['invalid-state:game-none']);
    expect(room.games.snapshotFor(null)).toEqual(stale);

    // Still a room that plays: a stroke (once its budget has refilled) and a game.
    expect(await unlimited(cousin.client, 'startStroke', { gameId: newBoard, key: 1, colour: 'red', size: 'large', points: line(2) })).toMatchObject({ ok: true });
    const fresh = await host.ok('startGame', { kind: 'noughts-and-crosses', players: [child.id, cousin.id] });
    expect(await child.client.ok('gameMove', cell(fresh.gameId, 4))).toMatchObject({ view: { turn: 1 } });
  });
});
