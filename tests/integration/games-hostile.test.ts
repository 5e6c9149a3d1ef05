import { Writable } from 'node:stream';
import { DRAWING_LIMITS, MEMORY_MISS_SHOW_MS, type GameState, type MemoryView, type Stroke } from '@tupa/signaling/protocol';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpSession } from '../support/httpClient.ts';
import { eventually, startTestServer, type TestServer } from '../support/server.ts';
import type { TestClient } from '../support/signalingClient.ts';
import { ClientPool, createInvitation, createRoom, staffAccounts } from '../support/staffAccounts.ts';

// The games against hostile and clumsy clients over real Socket.IO, against a whole Tupa: every
// game request before joining and from the lobby, malformed and spoofed payloads, floods of the
// same request at once, roles that may not, memory's hidden cards by every path a client has
// (replies, notices, a late join, a resume, an admission) and its shown miss cut short in every
// way, and twenty people drawing at once while someone joins. The rules: the server never
// answers `internal` nor logs an error, a refusal changes nothing, and the room still plays
// afterwards (a legal move is accepted). The general request budget is lifted so that floods
// reach the games themselves (games.test.ts tests the budget); the drawing's own budgets stay.

let t: TestServer;
let coordinator: HttpSession;
const clients = new ClientPool(() => t.url);
/** Everything the server logged at warn or above: an error here is a crash caught by a handler. */
const serverLog: { level: number; msg?: string }[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) serverLog.push(JSON.parse(line) as { level: number; msg?: string });
      done();
    },
  });
  t = await startTestServer({
    env: { RECONNECT_GRACE_SECONDS: '30', ROOM_CAPACITY: '25' },
    logger: pino({ level: 'warn' }, sink),
    signaling: {
      limits: { requestBurst: 1e6, requestsPerSecond: 1e6, maxViolations: 1e6, connectionsPerAddressPerMinute: 1e6, connectionsPerPlacePerMinute: 1e6 },
    },
  });
  ({ coordinator } = await staffAccounts(t.url));
});
afterAll(async () => {
  clients.closeAll();
  await t?.stop();
  // No request ever failed inside the server (toReplyError logs every `internal` at error).
  expect(serverLog.filter((entry) => entry.level >= 50)).toEqual([]);
});

type AnyReply = { ok: boolean; data?: unknown; error?: { code: string; message: string; reason?: string } };

/** A refusal with this code (and reason), never `internal`. */
function expectRefusal(reply: unknown, code: string, reason?: string): void {
  const r = reply as AnyReply;
  // A TypeError thrown inside a handler is answered as validation of "media parameters": never here.
  expect(r.error?.message).not.toBe('invalid media parameters');
  expect(r.ok, JSON.stringify(r).slice(0, 300)).toBe(false);
  expect(r.error?.code, JSON.stringify(r).slice(0, 300)).toBe(code);
  if (reason) expect(r.error?.reason, JSON.stringify(r)).toBe(reason);
}

/** Every notice sent to `client` before this reply has arrived when it returns (one socket keeps order). */
async function settled(client: TestClient): Promise<void> {
  expect(await client.request('raiseHand', { raised: false })).toMatchObject({ ok: true });
}

/** Sends until the request's own budget (startStroke, extendStroke) lets it through; returns that answer. */
async function unlimited(client: TestClient, name: string, payload: unknown): Promise<AnyReply> {
  let reply: AnyReply | undefined;
  expect(
    await eventually(async () => {
      reply = (await client.raw(name, payload)) as AnyReply;
      return reply.error?.code !== 'rate-limited';
    }, 10_000, 50),
  ).toBe(true);
  return reply!;
}

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

const changes = (client: TestClient) => client.notifications('gameChanged');

/** A staff room of `kind` (a play room unless said) with the coordinator's tab as host and `guests` children, in the call unless it has a lobby. */
async function gameRoom(options: { kind?: 'play' | 'storytime'; lobbyEnabled?: boolean; guests?: number; capacity?: number } = {}) {
  const { kind = 'play', lobbyEnabled = false, guests = 2, capacity = 8 } = options;
  const roomId = await createRoom(coordinator, { name: 'Leikkihuone', kind, lobbyEnabled, childrenPresent: true, capacity });
  const host = await clients.connect(coordinator.cookie);
  const h = await host.joinCall({ roomId, displayName: 'Kaisa' });
  const people: { client: TestClient; id: string; secret: string }[] = [];
  for (let i = 0; i < guests; i++) {
    const client = await clients.connect();
    const joined = await client.ok('joinRoom', { invitation: { token: await createInvitation(coordinator, roomId) }, displayName: `Lapsi ${i}` });
    people.push({ client, id: joined.peerId, secret: joined.resumeSecret });
  }
  const room = t.server.registry.get(roomId);
  if (!room) throw new Error('room is not live');
  return { roomId, room, host, hostId: h.peerId, people };
}

/** A new tab taking back `id`'s place with its resume secret; returns the client and its entry. */
/** Takes a place back on a new connection: `keepMedia` as a tab whose socket dropped does, else as a reloaded page. */
async function resume(roomId: string, id: string, secret: string, keepMedia = false) {
  const client = await clients.connect();
  const entry = await client.joinCall({ roomId, displayName: 'Takaisin', resume: { peerId: id, secret, keepMedia } });
  return { client, entry };
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

/** Every memory view in `games`: a face-down card carries nothing but its face, and no view names the deck. */
function noFaceDownPicture(games: (GameState | null | undefined)[]): number {
  let looked = 0;
  for (const game of games) {
    if (game?.view.kind !== 'memory') continue;
    looked++;
    expect(JSON.stringify(game)).not.toMatch(/deck|matchedBy|faceUp/);
    const view = game.view;
    for (const card of view.cards) if (card.face === 'down') expect(Object.keys(card)).toEqual(['face']);
    // Two cards at most are up (a miss being shown), the rest down or matched.
    expect(view.cards.filter((card) => card.face === 'up').length).toBeLessThanOrEqual(2);
  }
  return looked;
}

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

const boardOf = (game: GameState | null | undefined): Stroke[] => (game?.view.kind === 'drawing' ? game.view.strokes : []);
/** `n` points (x, y pairs) starting at `from`, all on the board. */
const line = (n: number, from = 0) => Array.from({ length: n }, (_, i) => [(from + i) % 1001, (7 * (from + i)) % 1001]).flat();
const cell = (gameId: string, at: number) => ({ gameId, move: { kind: 'noughts-and-crosses' as const, cell: at } });
const card = (gameId: string, at: number) => ({ gameId, move: { kind: 'memory' as const, card: at } });

describe('game requests from where no game may be played or seen', () => {
  it('refuses every game request before joining and from the lobby; a waiting guest sees no game until let in, then the game as it is', async () => {
    const { roomId, room, host, hostId } = await gameRoom({ lobbyEnabled: true, guests: 0 });
    const child = await clients.connect();
    const c = await child.ok('joinRoom', { invitation: { token: await createInvitation(coordinator, roomId) }, displayName: 'Ilona' });
    expect(c.admission).toBe('lobby');
    expect(await host.ok('admitFromLobby', { guestId: c.peerId })).toEqual({ admitted: 1 });
    const waiting = await clients.connect();
    const w = await waiting.ok('joinRoom', { invitation: { token: await createInvitation(coordinator, roomId) }, displayName: 'Onni' });
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
    const { room, host, people } = await gameRoom();
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
    const { room, host, hostId, people } = await gameRoom({ kind: 'storytime' });
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
    const { roomId, room, host, hostId, people } = await gameRoom({ kind: 'storytime', guests: 3 });
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
    const first = await gameRoom();
    const second = await gameRoom();
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
    const back = await resume(first.roomId, a1.id, a1.secret);
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
    const { roomId, room, host, people } = await gameRoom({ guests: 3 });
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
    expect((await coordinator.send('PATCH', `/api/admin/rooms/${roomId}`, { kind: 'peer-group', childrenPresent: false })).status).toBe(200);
    const late = await clients.connect();
    const entry = await late.joinCall({ invitation: { token: await createInvitation(coordinator, roomId) }, displayName: 'Isä' });
    expect(entry.game).toBeNull();
    expect(room.games.snapshotFor(null)).toBeNull();
    expect(await eventually(() => changes(cousin.client).at(-1)?.game === null)).toBe(true);
    expectRefusal(await cousin.client.request('startStroke', { gameId: board.gameId, key: 2, colour: 'red', size: 'large', points: line(2) }), 'invalid-state');
    expectRefusal(await third.client.request('startGame', { kind: 'drawing' }), 'invalid-state', 'game-not-allowed');
  });
});

describe('floods of the same request at once', () => {
  it('answers 500 of each game request sent at once, never internal, versions rising by one for each change, and the room plays on', async () => {
    const { room, host, people } = await gameRoom();
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
    const { roomId, room, host, hostId, people } = await gameRoom({ guests: 3 });
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
    const lateEntry = await late.joinCall({ invitation: { token: await createInvitation(coordinator, roomId) }, displayName: 'Myöhäinen' });
    expect(lateEntry.game).toEqual(shown);
    expect((lateEntry.game!.view as MemoryView).cards.flatMap((c, i) => (c.face === 'up' ? [i] : []))).toEqual(cards);
    // The mover's tab drops and comes back (a guest) during the miss: the same game, the miss still timed.
    let resumed: GameState | null = null;
    let moverNow = moverClient;
    if (moverSecret) {
      moverClient.close();
      expect(await eventually(() => host.notifications('peerConnectionState').some((n) => n.peerId === mover && n.state === 'reconnecting'))).toBe(true);
      const back = await resume(roomId, mover, moverSecret);
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
    const { room, host, hostId, people } = await gameRoom({ guests: 2 });
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
    const { roomId, room, host, people } = await gameRoom({ guests: 20, capacity: 25 });
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
    const joining = late.joinCall({ invitation: { token: await createInvitation(coordinator, roomId) }, displayName: 'Myöhäinen' });
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
    const { roomId, room, host, people } = await gameRoom({ guests: 2 });
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
    const back = await resume(roomId, a.id, a.secret, true);
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
    const { room, host, people } = await gameRoom({ guests: 1 });
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
    const { room, people } = await gameRoom();
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
