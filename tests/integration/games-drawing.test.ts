import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MediaServer } from '@tupa/media-server';
import { OPEN_ROOM_RULES, RoomRegistry, SignalingServer } from '@tupa/signaling';
import { DRAWING_LIMITS, type GameState, type Stroke } from '@tupa/signaling/protocol';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrawingLimits } from '../../signaling/src/games/DrawingBoard.ts';
import { freeUdpTcpPort } from '../support/ports.ts';
import { eventually, startTestServer, type TestServer } from '../support/server.ts';
import { TestClient } from '../support/signalingClient.ts';
import { ClientPool } from '../support/staffAccounts.ts';

// The shared drawing board over real Socket.IO: strokes reach the others whole and in order,
// the server numbers them, an undo takes back only one's own, only the board's opener (or a
// host) clears it, and every cap answers with its reason. The caps are tested on a server whose
// rooms have lower ones (RoomOptions.games, a constructor option), not by changing the
// protocol's numbers; the points-per-second budget is the real one.

let t: TestServer;
const clients = new ClientPool(() => t.url);

beforeAll(async () => {
  t = await startTestServer({ env: { RECONNECT_GRACE_SECONDS: '30' } });
});
afterAll(async () => {
  clients.closeAll();
  await t?.stop();
});

type AnyReply = { ok: boolean; data?: unknown; error?: { code: string; message: string; reason?: string } };

function expectRefusal(reply: unknown, code: string, reason?: string): void {
  const r = reply as AnyReply;
  expect(r.ok, JSON.stringify(r)).toBe(false);
  expect(r.error?.code, JSON.stringify(r)).toBe(code);
  if (reason) expect(r.error?.reason, JSON.stringify(r)).toBe(reason);
  expect(r.error?.message.length).toBeGreaterThan(10);
}

/** An open room from the start page (everyone a guest, anyone may open a board) with three people in the call. */
async function openRoomOfThree(url: string, connect: () => Promise<TestClient>) {
  const response = await fetch(`${url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  const roomId = ((await response.json()) as { roomId: string }).roomId;
  const people = [];
  for (const name of ['Mummi', 'Ilona', 'Onni']) {
    const client = await connect();
    const joined = await client.joinCall({ roomId, displayName: name });
    people.push({ client, id: joined.peerId, secret: joined.resumeSecret });
  }
  return { roomId, people: people as [(typeof people)[0], (typeof people)[0], (typeof people)[0]] };
}

/** `n` points (x, y pairs) along a line, starting at `from`. */
const line = (n: number, from = 0) => Array.from({ length: n }, (_, i) => [(from + i) % 1000, (3 * (from + i)) % 1000]).flat();

/** The board as `client` has built it from what it heard: the last full state, then strokes started, extended and removed. */
function boardSeen(client: TestClient): Stroke[] {
  let strokes: Stroke[] = [];
  let gameId: string | null = null;
  for (const { name, payload } of client.received) {
    if (name === 'gameChanged') {
      const game = (payload as { game: GameState | null }).game;
      gameId = game?.gameId ?? null;
      strokes = game?.view.kind === 'drawing' ? game.view.strokes.map((s) => ({ ...s, points: [...s.points] })) : [];
    }
    const p = payload as { gameId: string; stroke: Stroke; strokeId: number; points: number[]; done: boolean };
    if (p.gameId !== gameId) continue;
    if (name === 'strokeStarted') strokes.push({ ...p.stroke, points: [...p.stroke.points] });
    if (name === 'strokeExtended') {
      const stroke = strokes.find((s) => s.strokeId === p.strokeId)!;
      stroke.points.push(...p.points);
      stroke.done ||= p.done;
    }
    if (name === 'strokeRemoved') strokes = strokes.filter((s) => s.strokeId !== p.strokeId);
  }
  return strokes;
}

describe('the drawing board over signaling', () => {
  it("brings each stroke's points to the others whole and in order, with ids the server gives in rising order", async () => {
    const { roomId, people } = await openRoomOfThree(t.url, () => clients.connect());
    const [mummi, ilona, onni] = people;
    const room = t.server.registry.get(roomId)!;
    const board = await mummi.client.ok('startGame', { kind: 'drawing' });
    const { gameId } = board;
    expect(board).toMatchObject({ startedBy: mummi.id, players: [], over: false, view: { kind: 'drawing', strokes: [] } });

    // Two people draw at once, in batches, as fingers do.
    const a = await ilona.client.ok('startStroke', { gameId, key: 1, colour: 'red', size: 'large', points: line(5) });
    const b = await onni.client.ok('startStroke', { gameId, key: 1, colour: 'blue', size: 'medium', points: line(3, 500) });
    expect([a.strokeId, b.strokeId]).toEqual([1, 2]);
    for (let batch = 1; batch <= 10; batch++) {
      await Promise.all([
        ilona.client.ok('extendStroke', { gameId, key: 1, points: line(12, batch * 12), done: batch === 10 }),
        onni.client.ok('extendStroke', { gameId, key: 1, points: line(7, 500 + batch * 7), done: false }),
      ]);
    }
    const c = await ilona.client.ok('startStroke', { gameId, key: 2, colour: 'green', size: 'large', points: line(1, 900) });
    expect(c.strokeId).toBe(3);

    const onServer = room.games.snapshotFor(null)!.view;
    expect(onServer.kind === 'drawing' && onServer.strokes.map((s) => s.strokeId)).toEqual([1, 2, 3]);
    const ilonasStroke = onServer.kind === 'drawing' ? onServer.strokes[0]! : null;
    expect(ilonasStroke).toMatchObject({ by: ilona.id, colour: 'red', done: true });
    expect(ilonasStroke?.points).toEqual([...line(5), ...Array.from({ length: 10 }, (_, i) => line(12, (i + 1) * 12)).flat()]);
    // Everyone has the others' strokes exactly as the server holds them (their own they drew themselves).
    const strokes = onServer.kind === 'drawing' ? onServer.strokes : [];
    for (const { client, id } of [mummi, ilona, onni]) {
      const expected = JSON.stringify(strokes.filter((stroke) => stroke.by !== id));
      expect(await eventually(() => JSON.stringify(boardSeen(client)) === expected)).toBe(true);
    }
    expect(boardSeen(mummi.client)).toHaveLength(3);
    // A drawer is not sent their own stroke back.
    expect(ilona.client.notifications('strokeStarted').map((n) => n.stroke.strokeId)).toEqual([2]);
    expect(ilona.client.notifications('strokeExtended').every((n) => n.strokeId === 2)).toBe(true);

    // Whoever leaves for good has their unfinished stroke finished for the others.
    await onni.client.ok('leaveRoom', {});
    expect(await eventually(() => mummi.client.notifications('strokeExtended').some((n) => n.strokeId === 2 && n.done))).toBe(true);
    expect(room.games.snapshotFor(null)?.view).toMatchObject({ strokes: [{ strokeId: 1 }, { strokeId: 2, done: true }, { strokeId: 3 }] });
  });

  it('undoes only one\'s own last stroke, and clears the board for everyone only when the request names it', async () => {
    const { roomId, people } = await openRoomOfThree(t.url, () => clients.connect());
    const [mummi, ilona, onni] = people;
    const room = t.server.registry.get(roomId)!;
    expectRefusal(await ilona.client.request('startStroke', { gameId: 'no-board', key: 1, colour: 'red', size: 'large', points: line(2) }), 'invalid-state', 'game-none');
    const { gameId } = await mummi.client.ok('startGame', { kind: 'drawing' });
    expectRefusal(await ilona.client.request('undoStroke', { gameId }), 'invalid-state', 'nothing-to-undo');
    await ilona.client.ok('startStroke', { gameId, key: 1, colour: 'red', size: 'large', points: line(2) });
    await onni.client.ok('startStroke', { gameId, key: 1, colour: 'blue', size: 'large', points: line(2) });
    await ilona.client.ok('startStroke', { gameId, key: 2, colour: 'red', size: 'large', points: line(2) });
    expect(await onni.client.ok('undoStroke', { gameId })).toEqual({ strokeId: 2 });
    expect(await ilona.client.ok('undoStroke', { gameId })).toEqual({ strokeId: 3 });
    expectRefusal(await onni.client.request('undoStroke', { gameId }), 'invalid-state', 'nothing-to-undo');
    expectRefusal(await ilona.client.request('extendStroke', { gameId, key: 2, points: line(1), done: true }), 'invalid-state', 'stroke-not-found');
    for (const { client } of [mummi, ilona, onni]) {
      expect(await eventually(() => client.notifications('strokeRemoved').length === 2)).toBe(true);
      expect(client.notifications('strokeRemoved').map((n) => n.strokeId)).toEqual([2, 3]);
    }
    expect(room.games.snapshotFor(null)?.view).toMatchObject({ strokes: [{ strokeId: 1, by: ilona.id }] });

    // In a room from the start page everyone leads play, so anyone may clear (in a room with
    // hosts only they and the opener may: permissions.test.ts); a clear for another board (a tab
    // that missed a close and a new board) is refused and nothing changes.
    const before = room.games.snapshotFor(null);
    expectRefusal(await onni.client.request('clearBoard', { gameId: 'an-earlier-board' }), 'invalid-state', 'game-none');
    expect(room.games.snapshotFor(null)).toEqual(before);
    await onni.client.ok('clearBoard', { gameId });
    for (const { client } of [mummi, ilona, onni]) {
      expect(await eventually(() => client.notifications('gameChanged').at(-1)?.game?.version === before!.version + 1)).toBe(true);
      expect(client.notifications('gameChanged').at(-1)).toMatchObject({ by: onni.id, game: { view: { kind: 'drawing', strokes: [] } } });
    }
    // The ids go on rising on a cleared board; a stroke cut by the clear takes no more points.
    expectRefusal(await ilona.client.request('extendStroke', { gameId, key: 1, points: line(1), done: true }), 'invalid-state', 'stroke-not-found');
    expect(await onni.client.ok('startStroke', { gameId, key: 5, colour: 'eraser', size: 'large', points: line(1) })).toEqual({ strokeId: 4 });
  });

  it('finishes the stroke of someone who comes back with a fresh page, so no stroke stays open for ever', async () => {
    const { roomId, people } = await openRoomOfThree(t.url, () => clients.connect());
    const [mummi, ilona] = people;
    const room = t.server.registry.get(roomId)!;
    const { gameId } = await mummi.client.ok('startGame', { kind: 'drawing' });
    const { strokeId } = await ilona.client.ok('startStroke', { gameId, key: 1, colour: 'red', size: 'large', points: line(3) });
    // The page reloads mid-stroke: a new connection takes the place back without its media.
    ilona.client.close();
    expect(await eventually(() => mummi.client.notifications('peerConnectionState').some((n) => n.peerId === ilona.id && n.state === 'reconnecting'))).toBe(true);
    const back = await clients.connect();
    await back.joinCall({ roomId, displayName: 'Ilona', resume: { peerId: ilona.id, secret: ilona.secret } });
    expect(await eventually(() => mummi.client.notifications('strokeExtended').some((n) => n.strokeId === strokeId && n.done))).toBe(true);
    expect(room.games.snapshotFor(null)?.view).toMatchObject({ strokes: [{ strokeId, by: ilona.id, done: true, points: line(3) }] });
    // The reloaded page draws on with strokes of its own.
    expect(await back.ok('startStroke', { gameId, key: 7, colour: 'blue', size: 'large', points: line(2) })).toEqual({ strokeId: strokeId + 1 });
  });

  it('keeps a drawer sending a batch every 50 ms, besides other requests, within the request budget', async () => {
    const { people } = await openRoomOfThree(t.url, () => clients.connect());
    const [mummi] = people;
    const { gameId } = await mummi.client.ok('startGame', { kind: 'drawing' });
    const replies: AnyReply[] = [];
    // Three seconds of drawing: short strokes, a batch every 50 ms, and a request of another kind every 200 ms.
    for (let tick = 0; tick < 60; tick++) {
      const key = Math.floor(tick / 6);
      const pending: Promise<unknown>[] = [];
      if (tick % 6 === 0) pending.push(mummi.client.request('startStroke', { gameId, key, colour: 'purple', size: 'medium', points: line(4, tick) }));
      pending.push(mummi.client.request('extendStroke', { gameId, key, points: line(12, tick * 12), done: tick % 6 === 5 }));
      if (tick % 4 === 0) pending.push(mummi.client.request('raiseHand', { raised: tick % 8 === 0 }));
      replies.push(...((await Promise.all(pending)) as AnyReply[]));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(replies.filter((r) => !r.ok)).toEqual([]);
    expect(replies.length).toBe(60 + 10 + 15);

    // A flood of batches runs out the drawing's own budgets, never the one everything else uses.
    const flood = (await Promise.all(Array.from({ length: 150 }, () => mummi.client.request('extendStroke', { gameId, key: 99, points: [], done: false })))) as AnyReply[];
    expect(flood.some((r) => !r.ok && r.error?.code === 'rate-limited' && r.error.reason === undefined)).toBe(true);
    const others = (await Promise.all(Array.from({ length: 50 }, (_, i) => mummi.client.request('raiseHand', { raised: i % 2 === 0 })))) as AnyReply[];
    expect(others.filter((r) => !r.ok)).toEqual([]);
  });
});

describe('the drawing board at its limits', () => {
  const logger = pino({ level: 'silent' });
  /** Lower caps than the protocol's, so a test reaches them in a few requests; the rate is the real one. */
  const LOW: DrawingLimits = { ...DRAWING_LIMITS, strokesPerBoard: 8, pointsPerBoard: 1200, strokesPerPerson: 5, pointsPerStroke: 600 };
  let media: MediaServer;
  let registry: RoomRegistry;
  let signaling: SignalingServer;
  let http: Server;
  let url: string;
  const sockets = new ClientPool(() => url);

  beforeAll(async () => {
    media = await MediaServer.start({ numWorkers: 1, listenIp: '127.0.0.1', announcedIp: '127.0.0.1', rtcPort: await freeUdpTcpPort() }, logger);
    registry = new RoomRegistry(media, { emptyRoomGraceMs: 0, reconnectGraceMs: 0, capacity: 8, games: { drawingLimits: LOW } }, logger);
    http = createServer();
    signaling = new SignalingServer(http, {
      registry,
      // Every room an open one from the start page, everyone a guest.
      admissions: { grant: async ({ roomId }) => ({ roomId: roomId ?? 'none', role: 'guest', settings: OPEN_ROOM_RULES }) },
      logger,
      isDraining: () => false,
      iceServersFor: () => [],
      books: { find: async () => null },
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    sockets.closeAll();
    registry?.closeAll('server-shutdown');
    await signaling?.close();
    await new Promise((resolve) => http?.close(resolve));
    media?.close();
  });

  async function boardOfTwo() {
    const roomId = randomBytes(16).toString('base64url');
    const [a, b] = [await sockets.connect(), await sockets.connect()];
    await a.joinCall({ roomId, displayName: 'Ilona' });
    await b.joinCall({ roomId, displayName: 'Onni' });
    const { gameId } = await a.ok('startGame', { kind: 'drawing' });
    return { room: registry.get(roomId)!, a, b, gameId };
  }

  it('answers each cap with its reason, and a refused request adds nothing', async () => {
    const { room, a, b, gameId } = await boardOfTwo();
    // One person: five strokes.
    for (let key = 0; key < 5; key++) await a.ok('startStroke', { gameId, key, colour: 'red', size: 'large', points: line(1) });
    expectRefusal(await a.request('startStroke', { gameId, key: 9, colour: 'red', size: 'large', points: line(1) }), 'invalid-state', 'strokes-per-person');
    // One stroke: 600 points.
    await b.ok('startStroke', { gameId, key: 1, colour: 'blue', size: 'large', points: line(240) });
    await b.ok('extendStroke', { gameId, key: 1, points: line(240, 240), done: false });
    expectRefusal(await b.request('extendStroke', { gameId, key: 1, points: line(121, 480), done: false }), 'invalid-state', 'stroke-too-long');
    // The board: eight strokes.
    await b.ok('extendStroke', { gameId, key: 1, points: [], done: true });
    await b.ok('startStroke', { gameId, key: 2, colour: 'blue', size: 'large', points: line(1) });
    await b.ok('startStroke', { gameId, key: 3, colour: 'blue', size: 'large', points: line(1) });
    const full = room.games.snapshotFor(null);
    expectRefusal(await b.request('startStroke', { gameId, key: 4, colour: 'blue', size: 'large', points: line(1) }), 'invalid-state', 'board-full');
    expect(room.games.snapshotFor(null)).toEqual(full);
    expect(full?.view.kind === 'drawing' && full.view.strokes).toHaveLength(8);
  });

  it('answers points faster than a hand draws with rate-limited, and the board holds only what was allowed', async () => {
    const { room, a, gameId } = await boardOfTwo();
    // The bucket holds twice the points of a second (960): four strokes of 240 at once, then no more.
    const replies = (await Promise.all(Array.from({ length: 5 }, (_, key) => a.request('startStroke', { gameId, key, colour: 'red', size: 'large', points: line(240) })))) as AnyReply[];
    const refused = replies.filter((r) => !r.ok);
    expect(refused.length).toBeGreaterThan(0);
    for (const reply of refused) expectRefusal(reply, 'rate-limited', 'drawing-too-fast');
    const accepted = replies.length - refused.length;
    const view = room.games.snapshotFor(null)?.view;
    expect(view?.kind === 'drawing' && view.strokes.map((stroke) => stroke.points.length)).toEqual(Array(accepted).fill(480));
  });

  it('answers a board full of points with board-full', async () => {
    const { a, b, gameId } = await boardOfTwo();
    // 1200 points at most: two strokes of 480 and one of 240, within each drawer's rate.
    await a.ok('startStroke', { gameId, key: 1, colour: 'red', size: 'large', points: line(240) });
    await a.ok('extendStroke', { gameId, key: 1, points: line(240), done: true });
    await a.ok('startStroke', { gameId, key: 2, colour: 'red', size: 'large', points: line(240) });
    await a.ok('extendStroke', { gameId, key: 2, points: line(240), done: true });
    await b.ok('startStroke', { gameId, key: 1, colour: 'red', size: 'large', points: line(240) });
    expectRefusal(await b.request('extendStroke', { gameId, key: 1, points: line(1), done: false }), 'invalid-state', 'board-full');
    // Lifting the finger needs no room.
    expect(await b.ok('extendStroke', { gameId, key: 1, points: [], done: true })).toEqual({});
    expectRefusal(await b.request('startStroke', { gameId, key: 2, colour: 'red', size: 'large', points: line(1) }), 'invalid-state', 'board-full');
  });
});
