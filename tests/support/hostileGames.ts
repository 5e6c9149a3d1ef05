import { Writable } from 'node:stream';
import type { GameState, Stroke } from '@tupa/signaling/protocol';
import { pino } from 'pino';
import { expect } from 'vitest';
import { eventually } from './server.ts';
import { LIFTED_LIMITS, ServerPerFile } from './serverPerFile.ts';
import type { TestClient } from './signalingClient.ts';
import { createInvitation, createRoom } from './staffAccounts.ts';

// A whole Tupa for the games' hostile and clumsy clients (games-hostile.test.ts and
// games-hostile-play.test.ts): one server per test file, with everything it logs at warn or
// above captured so that the file can check no request ever failed inside it, play rooms with a
// host and children in the call, and the checks both files make of what the server answered.

/** One line the server logged (pino's JSON): its level (50 is error) and message. */
export interface LoggedLine {
  level: number;
  msg?: string;
}

/**
 * A Tupa started for one test file by `start()` (in `beforeAll`) and stopped by `stop()` (in
 * `afterAll`, which checks what it returns). A reconnecting tab keeps its place 30 s, a room holds up to 25, and the general
 * request budget is lifted so that floods reach the games themselves (games.test.ts tests the
 * budget); the drawing's own budgets stay.
 */
export class HostileGamesServer extends ServerPerFile {
  /** Everything the server logged at warn or above: an error here is a crash caught by a handler. */
  readonly serverLog: LoggedLine[] = [];

  /** Starts the server with its log captured, and signs the staff in. */
  async start(): Promise<void> {
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        for (const line of chunk.toString().split('\n')) if (line.trim()) this.serverLog.push(JSON.parse(line) as LoggedLine);
        done();
      },
    });
    await this.startWith({
      env: { RECONNECT_GRACE_SECONDS: '30', ROOM_CAPACITY: '25' },
      logger: pino({ level: 'warn' }, sink),
      signaling: { limits: LIFTED_LIMITS },
    });
  }

  /**
   * Closes every client, stops the server (if it started) and returns what it logged at error or
   * above, which the file expects to be nothing: toReplyError logs every `internal` at error.
   */
  async stop(): Promise<LoggedLine[]> {
    await this.stopServer();
    return this.serverLog.filter((entry) => entry.level >= 50);
  }

  /** A staff room of `kind` (a play room unless said) with the coordinator's tab as host and `guests` children, in the call unless it has a lobby. */
  gameRoom = async (options: { kind?: 'play' | 'storytime'; lobbyEnabled?: boolean; guests?: number; capacity?: number } = {}) => {
    const { kind = 'play', lobbyEnabled = false, guests = 2, capacity = 8 } = options;
    const roomId = await createRoom(this.coordinator, { name: 'Leikkihuone', kind, lobbyEnabled, childrenPresent: true, capacity });
    const host = await this.clients.connect(this.coordinator.cookie);
    const h = await host.joinCall({ roomId, displayName: 'Kaisa' });
    const people: { client: TestClient; id: string; secret: string }[] = [];
    for (let i = 0; i < guests; i++) {
      const client = await this.clients.connect();
      const joined = await client.ok('joinRoom', { invitation: { token: await createInvitation(this.coordinator, roomId) }, displayName: `Lapsi ${i}` });
      people.push({ client, id: joined.peerId, secret: joined.resumeSecret });
    }
    const room = this.server.server.registry.get(roomId);
    if (!room) throw new Error('room is not live');
    return { roomId, room, host, hostId: h.peerId, people };
  };

  /** Takes a place back on a new connection: `keepMedia` as a tab whose socket dropped does, else as a reloaded page. */
  resume = async (roomId: string, id: string, secret: string, keepMedia = false) => {
    const client = await this.clients.connect();
    const entry = await client.joinCall({ roomId, displayName: 'Takaisin', resume: { peerId: id, secret, keepMedia } });
    return { client, entry };
  };
}

/** Any request's answer as it arrives: success with data, or a refusal with its code and reason. */
export type AnyReply = { ok: boolean; data?: unknown; error?: { code: string; message: string; reason?: string } };

/** A refusal with this code (and reason), never `internal`. */
export function expectRefusal(reply: unknown, code: string, reason?: string): void {
  const r = reply as AnyReply;
  // A TypeError thrown inside a handler is answered as validation of "media parameters": never here.
  expect(r.error?.message).not.toBe('invalid media parameters');
  expect(r.ok, JSON.stringify(r).slice(0, 300)).toBe(false);
  expect(r.error?.code, JSON.stringify(r).slice(0, 300)).toBe(code);
  if (reason) expect(r.error?.reason, JSON.stringify(r)).toBe(reason);
}

/** Every notice sent to `client` before this reply has arrived when it returns (one socket keeps order). */
export async function settled(client: TestClient): Promise<void> {
  expect(await client.request('raiseHand', { raised: false })).toMatchObject({ ok: true });
}

/** Sends until the request's own budget (startStroke, extendStroke) lets it through; returns that answer. */
export async function unlimited(client: TestClient, name: string, payload: unknown): Promise<AnyReply> {
  let reply: AnyReply | undefined;
  expect(
    await eventually(async () => {
      reply = (await client.raw(name, payload)) as AnyReply;
      return reply.error?.code !== 'rate-limited';
    }, 10_000, 50),
  ).toBe(true);
  return reply!;
}

/** The `gameChanged` notices `client` has heard, in order. */
export const changes = (client: TestClient) => client.notifications('gameChanged');

/** Every memory view in `games`: a face-down card carries nothing but its face, and no view names the deck. */
export function noFaceDownPicture(games: (GameState | null | undefined)[]): number {
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

/** The strokes of a drawing board's state; none for any other game or none at all. */
export const boardOf = (game: GameState | null | undefined): Stroke[] => (game?.view.kind === 'drawing' ? game.view.strokes : []);
/** `n` points (x, y pairs) starting at `from`, all on the board. */
export const line = (n: number, from = 0) => Array.from({ length: n }, (_, i) => [(from + i) % 1001, (7 * (from + i)) % 1001]).flat();
/** A noughts-and-crosses move's payload: a mark in cell `at` (0-8, row by row). */
export const cell = (gameId: string, at: number) => ({ gameId, move: { kind: 'noughts-and-crosses' as const, cell: at } });
/** A memory move's payload: turning card `at`. */
export const card = (gameId: string, at: number) => ({ gameId, move: { kind: 'memory' as const, card: at } });
