import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { assertAllowed, gameRefusal } from '../errors.ts';
import {
  mayClearBoard,
  mayDraw,
  mayEndGame,
  mayMoveInGame,
  mayRematch,
  mayStartGame,
  type Actor,
  type GameMove,
  type GameSituation,
  type GameSituationPart,
  type GameState,
  type NotificationName,
  type NotificationPayload,
  type RoomInfo,
  type StartGame,
} from '../protocol/index.ts';
import { DrawingBoard, type DrawingLimits, type StrokeStart } from './DrawingBoard.ts';
import { optionsOf, TURN_GAMES, type AnyGameRules, type PlayerLeft, type TurnGameKind } from './turnGames.ts';

/** What the games need of their room, asked at the moment of each change. */
export interface GamesRoom {
  /** The room's kind now (a coordinator may change it while the room is live), and whether it was made from the start page. */
  rules(): Pick<RoomInfo, 'kind' | 'madeFromStartPage'>;
  /** Who reads in the room's storytime (the reader leads play too). */
  readerId(): string | null;
  /** Whether a participant with this id is in the call now (away for a moment counts). */
  has(peerId: string): boolean;
  /** Tells everyone in the call (never the lobby), each their own payload. */
  tellEach<K extends NotificationName>(name: K, payloadFor: (peerId: string) => NotificationPayload<K>): void;
  /** Tells everyone in the call but `exceptId`. */
  tell<K extends NotificationName>(name: K, payload: NotificationPayload<K>, exceptId?: string): void;
}

export interface RoomGamesOptions {
  /** The board's caps; DRAWING_LIMITS unless a test lowers them. */
  drawingLimits?: DrawingLimits;
  /** A float in [0, 1) for dealing cards; crypto's unless a test passes a seeded one. */
  random?: () => number;
  /** Monotonic milliseconds for the drawing budget (performance.now). */
  now?: () => number;
}

type TurnGame = {
  kind: TurnGameKind;
  gameId: string;
  startedBy: string;
  players: readonly string[];
  rules: AnyGameRules;
  playerLeft: PlayerLeft;
  state: unknown;
  /** The finished game this one is the rematch of, so a repeated "Play again" finds it. */
  rematchOf?: string;
};
type Board = { kind: 'drawing'; gameId: string; startedBy: string; players: readonly string[]; board: DrawingBoard };
type LiveGame = TurnGame | Board;

const cryptoRandom = (): number => crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;

/**
 * The room's one live game (noughts and crosses, memory or the drawing board), as `Storytime`
 * owns the book. Every method asks the permission table (protocol/permissions.ts) first, then
 * the game's own rules (protocol/games/); a refused request changes nothing. Every change raises
 * `version` (one counter for the room, so it rises across games too) and tells everyone in the
 * call `gameChanged` with the game as each of them may see it (the rule module's `view`: a
 * face-down card's picture never leaves the server). Strokes being drawn go out between versions
 * (`strokeStarted`, `strokeExtended`, `strokeRemoved`). Memory's shown miss is settled by a timer
 * that never outlives its game or the room (`close`).
 */
export class RoomGames {
  readonly #room: GamesRoom;
  readonly #logger: Logger;
  readonly #options: RoomGamesOptions;
  readonly #random: () => number;
  #game: LiveGame | null = null;
  #version = 0;
  #settleTimer: NodeJS.Timeout | undefined;

  constructor(room: GamesRoom, logger: Logger, options: RoomGamesOptions = {}) {
    this.#room = room;
    this.#logger = logger;
    this.#options = options;
    this.#random = options.random ?? cryptoRandom;
  }

  /** Whether a shown miss is waiting for its timer (for tests: no timer may outlive a game or the room). */
  get settling(): boolean {
    return this.#settleTimer !== undefined;
  }

  /** The game as `peerId` may see it (a late joiner, a resumed tab, a change), or null when none is played. */
  snapshotFor(peerId: string | null): GameState | null {
    const game = this.#game;
    if (!game) return null;
    const common = { gameId: game.gameId, version: this.#version, startedBy: game.startedBy, players: [...game.players] };
    if (game.kind === 'drawing') return { ...common, over: false, view: game.board.view() };
    return { ...common, over: game.rules.isOver(game.state), view: game.rules.view(game.state, peerId) };
  }

  /** What the permission table needs to decide for `actor` now: the room's kind, its reader, the game. */
  situation(actor: Actor): GameSituation {
    return { actor, room: this.#room.rules(), storytime: { readerId: this.#room.readerId() }, game: this.#part() };
  }

  /**
   * Starts a game for everyone, replacing one being played. The players must be in the call,
   * each once, as many as the game takes (`game-players-invalid`); a board has no players.
   */
  start(actor: Actor, request: StartGame): GameState {
    assertAllowed(mayStartGame(this.situation(actor)));
    const gameId = randomUUID();
    if (request.kind === 'drawing') {
      this.#replace({ kind: 'drawing', gameId, startedBy: actor.id, players: [], board: new DrawingBoard(this.#options.drawingLimits, this.#options.now) });
    } else {
      const { rules, playerLeft } = TURN_GAMES[request.kind];
      const players = [...request.players];
      const valid =
        new Set(players).size === players.length &&
        players.length >= rules.minPlayers &&
        players.length <= rules.maxPlayers &&
        players.every((id) => this.#room.has(id));
      if (!valid) throw gameRefusal('game-players-invalid');
      const state = rules.start(players, optionsOf(request), this.#random);
      this.#replace({ kind: request.kind, gameId, startedBy: actor.id, players, rules, playerLeft, state });
    }
    this.#logger.info({ gameId, kind: request.kind, players: this.#game?.players.length }, 'game started');
    return this.#changed(actor.id);
  }

  /** A player's move in the game `gameId`: the rules refuse it (nothing changes) or it is everyone's. */
  move(actor: Actor, gameId: string, move: GameMove): GameState {
    assertAllowed(mayMoveInGame(this.situation(actor)));
    const game = this.#turnGame(gameId);
    if (move.kind !== game.kind) throw gameRefusal('illegal-move', `that move is for ${move.kind}, not ${game.kind}`);
    const outcome = game.rules.move(game.state, actor.id, move);
    if (!outcome.ok) throw gameRefusal(outcome.reason);
    game.state = outcome.state;
    return this.#changed(actor.id);
  }

  /** Once the game `gameId` is over: the same game again for the same players, with a new id. */
  rematch(actor: Actor, gameId: string): GameState {
    // A second "Play again" for the same finished game (two children tapping at once, or one
    // tapping twice) asks for what has already begun: the game as it is, nothing changed.
    const current = this.#game;
    if (current && current.kind !== 'drawing' && current.rematchOf === gameId) return this.snapshotFor(actor.id)!;
    assertAllowed(mayRematch(this.situation(actor)));
    const game = this.#turnGame(gameId);
    this.#replace({ ...game, gameId: randomUUID(), rematchOf: game.gameId, state: game.rules.rematch(game.state, this.#random) });
    this.#logger.info({ gameId: this.#game?.gameId, kind: game.kind }, 'game rematched');
    return this.#changed(actor.id);
  }

  /** Ends the game (or closes the board) `gameId` for everyone; another game is `game-none`. */
  end(actor: Actor, gameId: string): void {
    assertAllowed(mayEndGame(this.situation(actor)));
    if (this.#game?.gameId !== gameId) throw gameRefusal('game-none', 'this game has ended or been replaced');
    this.#end(actor.id);
  }

  /** Begins `actor`'s stroke on the open board `gameId`; returns the id the server gave it. */
  startStroke(actor: Actor, gameId: string, start: StrokeStart): { strokeId: number } {
    assertAllowed(mayDraw(this.situation(actor)));
    const { board } = this.#board(gameId);
    const { stroke, finished } = board.start(actor.id, start);
    if (finished) this.#room.tell('strokeExtended', { gameId, ...finished }, actor.id);
    this.#room.tell('strokeStarted', { gameId, stroke }, actor.id);
    return { strokeId: stroke.strokeId };
  }

  /** More points of `actor`'s stroke `key` (done: the finger lifted), for everyone else in order. */
  extendStroke(actor: Actor, gameId: string, key: number, points: readonly number[], done: boolean): void {
    assertAllowed(mayDraw(this.situation(actor)));
    const { board } = this.#board(gameId);
    const extension = board.extend(actor.id, key, points, done);
    if (extension.points.length > 0 || done) this.#room.tell('strokeExtended', { gameId, ...extension }, actor.id);
  }

  /** Takes back `actor`'s own last stroke; everyone (the drawer's other views too) removes it. */
  undoStroke(actor: Actor, gameId: string): { strokeId: number } {
    assertAllowed(mayDraw(this.situation(actor)));
    const { board } = this.#board(gameId);
    const strokeId = board.undo(actor.id);
    this.#room.tell('strokeRemoved', { gameId, strokeId });
    return { strokeId };
  }

  /** Empties the board for everyone: a new version with no strokes. */
  clearBoard(actor: Actor, gameId: string): void {
    assertAllowed(mayClearBoard(this.situation(actor)));
    this.#board(gameId).board.clear();
    this.#changed(actor.id);
  }

  /**
   * `peerId` left for good (not a reconnect). Noughts and crosses ends when a player leaves (the
   * screens go back to the call, where the empty place says why); memory goes on without them,
   * and ends once no player is left; strokes they were drawing are finished.
   */
  peerLeft(peerId: string): void {
    const game = this.#game;
    if (!game) return;
    if (game.kind === 'drawing') {
      this.#finishStrokesOf(game, peerId);
      return;
    }
    if (!game.players.includes(peerId)) return;
    if (game.playerLeft.ends || !game.players.some((id) => id !== peerId && this.#room.has(id))) {
      this.#end(null);
      return;
    }
    const next = game.playerLeft.without(game.state, peerId);
    if (next === game.state) return;
    game.state = next;
    this.#changed(null);
  }

  /**
   * `peerId` came back under the same id with fresh media (a reload, or a resume whose media
   * was gone): the tab starts afresh, so strokes it was drawing will get no more points; they
   * are finished for everyone now rather than left open until the person leaves. Their game
   * and turn stay theirs.
   */
  peerReplaced(peerId: string): void {
    const game = this.#game;
    if (game?.kind === 'drawing') this.#finishStrokesOf(game, peerId);
  }

  #finishStrokesOf(game: Board, peerId: string): void {
    for (const finished of game.board.peerLeft(peerId)) this.#room.tell('strokeExtended', { gameId: game.gameId, ...finished });
  }

  /** The room's settings changed: a room that no longer has games (now a peer group) ends the one being played. */
  roomRulesChanged(): void {
    if (!this.#game) return;
    const anyHost = mayStartGame(this.situation({ id: '', role: 'host' }));
    if (!anyHost.allowed && anyHost.reason === 'game-not-allowed') this.#end(null);
  }

  /** The room closed: no game and no timer remain. Idempotent. */
  close(): void {
    this.#clearTimer();
    this.#game = null;
  }

  #part(): GameSituationPart | null {
    const game = this.#game;
    if (!game) return null;
    const over = game.kind === 'drawing' ? false : game.rules.isOver(game.state);
    return { kind: game.kind, startedBy: game.startedBy, players: [...game.players], over };
  }

  /** The turn-based game being played, if `gameId` names it; else `game-none` (ended, replaced, or a board). */
  #turnGame(gameId: string): TurnGame {
    const game = this.#game;
    if (!game || game.kind === 'drawing' || game.gameId !== gameId) throw gameRefusal('game-none', 'this game has ended or been replaced');
    return game;
  }

  /** The open board, if `gameId` names it; else `game-none` (closed, or another board since). */
  #board(gameId: string): Board {
    const game = this.#game;
    if (game?.kind !== 'drawing' || game.gameId !== gameId) throw gameRefusal('game-none', 'this drawing board has been closed');
    return game;
  }

  #replace(game: LiveGame): void {
    this.#clearTimer();
    this.#game = game;
  }

  #end(by: string | null): void {
    const game = this.#game;
    if (!game) return;
    this.#clearTimer();
    this.#game = null;
    this.#version++;
    this.#logger.info({ gameId: game.gameId, kind: game.kind, by: by === null ? 'server' : 'participant' }, 'game ended');
    const version = this.#version;
    this.#room.tellEach('gameChanged', () => ({ game: null, version, by }));
  }

  /** One change: a new version, everyone told (each their own view), a shown miss timed. */
  #changed(by: string | null): GameState {
    this.#version++;
    this.#schedule();
    const version = this.#version;
    this.#room.tellEach('gameChanged', (peerId) => ({ game: this.snapshotFor(peerId), version, by }));
    const state = this.snapshotFor(by);
    if (!state) throw new Error('a game changed while none is played');
    return state;
  }

  /** A game whose state waits for time to pass (memory's shown miss) is settled when it has. */
  #schedule(): void {
    const game = this.#game;
    const ms = game && game.kind !== 'drawing' ? game.rules.pendingMs(game.state) : null;
    if (!game || game.kind === 'drawing' || ms === null) {
      this.#clearTimer();
      return;
    }
    // A change while waiting (a player leaving) keeps the time already running.
    if (this.#settleTimer) return;
    this.#settleTimer = setTimeout(() => {
      this.#settleTimer = undefined;
      if (this.#game !== game) return;
      const next = game.rules.settle(game.state);
      if (next === game.state) return;
      game.state = next;
      this.#changed(null);
    }, ms);
    this.#settleTimer.unref();
  }

  #clearTimer(): void {
    clearTimeout(this.#settleTimer);
    this.#settleTimer = undefined;
  }
}
