import { openDatabase, type Database } from '@tupa/db';
import pino from 'pino';
import type { NotificationPayload } from '@tupa/signaling/protocol';
import { TestClient } from '../support/signalingClient.ts';
import { intOption, type Bench, type BenchContext } from './context.ts';
import { percentile, sleep, within, type BenchResult, type ResultRow } from './measure.ts';
import { startServerChild, type ServerChild } from './serverChild.ts';

// Children's games reaching the other screens: R play rooms at once, each with a host (host
// invitation) and two guests, all socket.io-client sockets in this process; the server runs
// alone in a child process with default limits.
//
// 1. Noughts and crosses: the host starts a game for itself and the first guest (the second
//    watches); the two players take turns, one move every 150-350 ms (a random pace, so rooms
//    overlap), G games per room with a rematch after each. Latency: from just before the mover
//    emits `gameMove` to the `gameChanged` carrying the version that move made, at each of the
//    other two sockets.
// 2. The drawing board: the host opens it and draws strokes of S batches, one batch of P points
//    every 50 ms (the client's batching interval), for D seconds: `startStroke`, then
//    `extendStroke` (done on the last). Latency: from just before a batch is emitted to the
//    matching `strokeStarted` / `strokeExtended` at each of the two guests (a socket keeps order,
//    so the k-th extension a guest hears of a stroke is the drawer's k-th). Bytes: what the
//    drawer's engine.io socket sends in that time (each packet as Socket.IO frames it).

const MOVE_GAP_MS = [150, 350] as const;
/** A full board without three in a row, whoever starts: every game lasts nine moves. */
const DRAWN_GAME = [0, 1, 2, 4, 3, 5, 7, 6, 8];
const BATCH_MS = 50;

interface PlayRoom {
  host: TestClient;
  guests: [TestClient, TestClient];
  hostId: string;
  guestIds: [string, string];
}

/** Latency samples (ms) and what went wrong, shared by all rooms. */
interface Samples {
  moves: number[];
  strokeStarts: number[];
  strokeExtends: number[];
  missing: number;
  refused: string[];
}

async function prepare(databaseUrl: string, roomCount: number) {
  const db: Database = await openDatabase({ url: databaseUrl, dataDir: '/nonexistent', logger: pino({ level: 'silent' }) });
  try {
    const staff = await db.staff.create({ email: 'bench@example.org', displayName: 'Bench', role: 'coordinator', passwordHash: 'not-a-login' });
    const expiresAt = new Date(Date.now() + 3600_000);
    const invitation = async (roomId: string, role: 'host' | 'guest') =>
      (await db.invitations.create({ roomId, sessionId: null, role, simple: false, label: 'bench', expiresAt, createdBy: staff.id })).token;
    const rooms: Array<{ hostToken: string; guestTokens: [string, string] }> = [];
    for (let i = 0; i < roomCount; i++) {
      const room = await db.rooms.create({ name: `Play ${i}`, kind: 'play', lobbyEnabled: false, childrenPresent: true }, staff.id);
      rooms.push({ hostToken: await invitation(room.id, 'host'), guestTokens: [await invitation(room.id, 'guest'), await invitation(room.id, 'guest')] });
    }
    return rooms;
  } finally {
    await db.close();
  }
}

async function join(server: ServerChild, token: string, name: string): Promise<{ client: TestClient; peerId: string }> {
  const client = await TestClient.connect(server.url);
  const reply = await client.ok('joinRoom', { invitation: { token }, displayName: name });
  if (reply.admission !== 'in') throw new Error(`${name} was put in the lobby`);
  return { client, peerId: reply.peerId };
}

/** When each socket heard each game version: gameId -> version -> performance.now(). */
function listenForGames(client: TestClient): Map<string, Map<number, number>> {
  const heard = new Map<string, Map<number, number>>();
  client.socket.on('gameChanged', ({ game }: NotificationPayload<'gameChanged'>) => {
    if (!game) return;
    const versions = heard.get(game.gameId) ?? new Map<number, number>();
    if (!versions.has(game.version)) versions.set(game.version, performance.now());
    heard.set(game.gameId, versions);
  });
  return heard;
}

/** One room's noughts and crosses: `games` games of nine moves, a rematch between them. */
async function playNoughts(room: PlayRoom, games: number, samples: Samples): Promise<void> {
  const players = [room.host, room.guests[0]] as const;
  const hearers = new Map<TestClient, Map<string, Map<number, number>>>(
    [room.host, ...room.guests].map((client) => [client, listenForGames(client)]),
  );
  const sent: Array<{ mover: TestClient; gameId: string; version: number; at: number }> = [];
  let game = await room.host.ok('startGame', { kind: 'noughts-and-crosses', players: [room.hostId, room.guestIds[0]] });
  await sleep(Math.random() * 300);
  for (let played = 0; played < games; played++) {
    if (game.view.kind !== 'noughts-and-crosses') throw new Error(`startGame gave a ${game.view.kind} game`);
    for (const cell of DRAWN_GAME) {
      const turn = game.view.kind === 'noughts-and-crosses' ? game.view.turn : null;
      if (turn === null) throw new Error('the game ended early');
      const mover = players[turn];
      const at = performance.now();
      const reply = await mover.request('gameMove', { gameId: game.gameId, move: { kind: 'noughts-and-crosses', cell } });
      if (!reply.ok) {
        samples.refused.push(`gameMove ${reply.error.code} ${reply.error.message}`);
        return;
      }
      game = reply.data;
      sent.push({ mover, gameId: game.gameId, version: game.version, at });
      await sleep(MOVE_GAP_MS[0] + Math.random() * (MOVE_GAP_MS[1] - MOVE_GAP_MS[0]));
    }
    if (played + 1 < games) game = await players[played % 2]!.ok('rematch', { gameId: game.gameId });
  }
  await sleep(300); // the last move's notices
  for (const move of sent) {
    for (const [client, heard] of hearers) {
      if (client === move.mover) continue;
      const arrived = heard.get(move.gameId)?.get(move.version);
      if (arrived === undefined) samples.missing++;
      else samples.moves.push(arrived - move.at);
    }
  }
}

/** x, y pairs along a wavy line: `count` points from step `from` on. */
function strokePoints(from: number, count: number, row: number): number[] {
  const points: number[] = [];
  for (let i = from; i < from + count; i++) {
    points.push(Math.round(50 + ((i * 7) % 900)), Math.round(100 + ((row * 97) % 700) + 40 * Math.sin(i / 5)));
  }
  return points;
}

/** One room's drawer on the board `gameId`: strokes of `batches` batches of `pointsPerBatch` points, one batch every 50 ms, for `seconds`. */
async function draw(room: PlayRoom, gameId: string, seconds: number, batches: number, pointsPerBatch: number, samples: Samples): Promise<{ bytes: number; ms: number }> {
  const drawer = room.host;
  // strokeId -> arrival times at each guest (strokeStarted first, then each strokeExtended).
  const arrivals = room.guests.map(() => new Map<number, number[]>());
  room.guests.forEach((guest, g) => {
    const mine = arrivals[g]!;
    guest.socket.on('strokeStarted', ({ stroke }: NotificationPayload<'strokeStarted'>) => mine.set(stroke.strokeId, [performance.now()]));
    guest.socket.on('strokeExtended', ({ strokeId }: NotificationPayload<'strokeExtended'>) => mine.get(strokeId)?.push(performance.now()));
  });
  await sleep(Math.random() * BATCH_MS);
  let bytes = 0;
  const engine = drawer.socket.io.engine;
  const count = (packet: { type: string; data?: unknown }) => {
    // The engine.io packet type is one character before the Socket.IO-encoded message.
    if (packet.type === 'message' && typeof packet.data === 'string') bytes += 1 + Buffer.byteLength(packet.data);
  };
  engine.on('packetCreate', count);
  const started = performance.now();
  const strokes: Array<{ strokeId: Promise<number | undefined>; sentAt: number[] }> = [];
  const acks: Promise<unknown>[] = [];
  let key = 0;
  let next = started;
  while (performance.now() - started < seconds * 1000) {
    key += 1;
    const sentAt: number[] = [];
    const at = (): number => {
      const now = performance.now();
      sentAt.push(now);
      return now;
    };
    at();
    const first = drawer.request('startStroke', { gameId, key, colour: 'blue', size: 'large', points: strokePoints(0, pointsPerBatch, key) });
    strokes.push({
      sentAt,
      strokeId: first.then((reply) => {
        if (reply.ok) return reply.data.strokeId;
        samples.refused.push(`startStroke ${reply.error.code} ${reply.error.message}`);
        return undefined;
      }),
    });
    for (let b = 1; b < batches; b++) {
      next += BATCH_MS;
      await sleep(Math.max(0, next - performance.now()));
      at();
      const reply = drawer.request('extendStroke', { gameId, key, points: strokePoints(b * pointsPerBatch, pointsPerBatch, key), done: b === batches - 1 });
      acks.push(
        reply.then((r) => {
          if (!r.ok) samples.refused.push(`extendStroke ${r.error.code} ${r.error.message}`);
        }),
      );
    }
    next += BATCH_MS;
    await sleep(Math.max(0, next - performance.now()));
  }
  const ms = performance.now() - started;
  engine.off('packetCreate', count);
  await Promise.all(acks);
  await sleep(300); // the last batches' notices
  for (const stroke of strokes) {
    const strokeId = await stroke.strokeId;
    for (const heard of arrivals) {
      const times = strokeId === undefined ? undefined : heard.get(strokeId);
      stroke.sentAt.forEach((sent, k) => {
        const arrived = times?.[k];
        if (arrived === undefined) samples.missing++;
        else (k === 0 ? samples.strokeStarts : samples.strokeExtends).push(arrived - sent);
      });
    }
  }
  return { bytes, ms };
}

function latencyRows(name: string, samples: number[], budget: boolean): ResultRow[] {
  return [
    { measure: `${name} p50`, value: percentile(samples, 50), unit: 'ms', digits: 2 },
    { measure: `${name} p95`, value: percentile(samples, 95), unit: 'ms', digits: 2, ...(budget ? { budget: { op: '<' as const, limit: 100 } } : {}) },
    { measure: `${name} p99`, value: percentile(samples, 99), unit: 'ms', digits: 2 },
    { measure: `${name} max`, value: samples.length ? Math.max(...samples) : Number.NaN, unit: 'ms', digits: 2 },
  ];
}

export const games: Bench = {
  name: 'games',
  seconds: 30,
  async run(ctx: BenchContext): Promise<BenchResult> {
    const roomCount = intOption(ctx, 'rooms', 20, 1, 100);
    const gameCount = intOption(ctx, 'games', 4, 1, 100);
    const drawSeconds = intOption(ctx, 'draw-seconds', 10, 1, 120);
    const batches = intOption(ctx, 'batches', 20, 2, 200);
    const pointsPerBatch = intOption(ctx, 'points-per-batch', 6, 1, 24);

    const databaseUrl = await ctx.pg.createDatabase();
    const server = await startServerChild({ databaseUrl });
    const clients: TestClient[] = [];
    try {
      const plans = await prepare(databaseUrl, roomCount);
      const rooms: PlayRoom[] = [];
      await within(
        60_000,
        'joining the rooms',
        Promise.all(
          plans.map(async (plan, r) => {
            const host = await join(server, plan.hostToken, `Host ${r}`);
            const a = await join(server, plan.guestTokens[0], `Child ${r}.1`);
            const b = await join(server, plan.guestTokens[1], `Child ${r}.2`);
            clients.push(host.client, a.client, b.client);
            rooms[r] = { host: host.client, guests: [a.client, b.client], hostId: host.peerId, guestIds: [a.peerId, b.peerId] };
          }),
        ),
      );
      const samples: Samples = { moves: [], strokeStarts: [], strokeExtends: [], missing: 0, refused: [] };

      ctx.log(`games: ${rooms.length} rooms of 3; ${gameCount} games of noughts and crosses per room`);
      const playStarted = performance.now();
      await within(gameCount * 9 * 2000 + 60_000, 'playing noughts and crosses', Promise.all(rooms.map((room) => playNoughts(room, gameCount, samples))));
      const playSeconds = (performance.now() - playStarted) / 1000;

      ctx.log(`games: the host of each room draws for ${drawSeconds} s`);
      const boards = await Promise.all(rooms.map((room) => room.host.ok('startGame', { kind: 'drawing' })));
      const drawn = await within(
        drawSeconds * 1000 + 60_000,
        'drawing',
        Promise.all(rooms.map((room, index) => draw(room, boards[index]!.gameId, drawSeconds, batches, pointsPerBatch, samples))),
      );
      const bytesPerSecond = drawn.map(({ bytes, ms }) => bytes / (ms / 1000));

      const moveP95 = percentile(samples.moves, 95);
      const extendP95 = percentile(samples.strokeExtends, 95);
      const rows: ResultRow[] = [
        { measure: 'moves delivered (move x other socket)', value: samples.moves.length, unit: '', digits: 0 },
        ...latencyRows('gameMove -> gameChanged at the other two', samples.moves, true),
        { measure: 'stroke batches delivered (batch x other socket)', value: samples.strokeExtends.length, unit: '', digits: 0 },
        ...latencyRows('extendStroke -> strokeExtended at the others', samples.strokeExtends, true),
        { measure: 'startStroke -> strokeStarted at the others p95', value: percentile(samples.strokeStarts, 95), unit: 'ms', digits: 2 },
        { measure: 'moves or batches never seen by another socket', value: samples.missing, unit: '', digits: 0 },
        { measure: 'bytes per second sent per drawer (median)', value: percentile(bytesPerSecond, 50), unit: 'B/s', digits: 0 },
        { measure: 'bytes per second sent per drawer (max)', value: Math.max(...bytesPerSecond), unit: 'B/s', digits: 0 },
      ];
      const notes = [
        `${rooms.length} play rooms (staff rooms, no lobby), each a host with a host invitation and two guests with guest invitations: ${clients.length} socket.io-client sockets (websocket transport) in the bench process, the server alone in a child Node process with default limits`,
        `noughts and crosses: the host and the first guest play ${gameCount} games of nine moves (a drawn game, so every game is full length), one move every ${MOVE_GAP_MS[0]}-${MOVE_GAP_MS[1]} ms at random, each waiting for the previous move's reply, a rematch between games; the second guest watches; ${samples.moves.length / 2} moves in ${playSeconds.toFixed(1)} s over all rooms`,
        `drawing board: the host of each room draws for ${drawSeconds} s, strokes of ${batches} batches (startStroke, then extendStroke, done on the last) of ${pointsPerBatch} points each (${(pointsPerBatch * 1000) / BATCH_MS} points a second, a 120 Hz pointer), one batch every ${BATCH_MS} ms on a fixed schedule without waiting for replies; the two guests receive them`,
        'latency: performance.now() in this process just before the emit, to the other socket\'s gameChanged with the version that move made (or its strokeStarted / k-th strokeExtended for that stroke)',
        'bytes: every engine.io message packet the drawer\'s socket created while drawing (1 byte of engine.io packet type + the Socket.IO-encoded event, acknowledgement id and JSON payload), per second of drawing; WebSocket frame headers (2-8 bytes each) not counted',
        `budget ratio (p95 / 100 ms): moves ${(moveP95 / 100).toFixed(3)}, stroke batches ${(extendP95 / 100).toFixed(3)}`,
        ...(samples.refused.length ? [`refused requests: ${samples.refused.length}, first: ${samples.refused.slice(0, 3).join('; ')}`] : ['every move, rematch and stroke batch was accepted']),
      ];
      return {
        name: 'games',
        title: `game move and stroke -> the other screens, ${rooms.length} rooms x 3 people`,
        rows,
        notes,
      };
    } finally {
      for (const c of clients) c.close();
      await server.stop();
    }
  },
};
