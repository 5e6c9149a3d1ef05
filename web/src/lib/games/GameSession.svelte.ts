import type {
  ActionName,
  ErrorReason,
  GameMove,
  GameSituationPart,
  GameState,
  NotificationName,
  NotificationPayload,
  ReplyData,
  RequestPayload,
  Role,
  StartGame,
} from '@tupa/signaling/protocol';
import type { gameRequestSchemas } from '@tupa/signaling/protocol';
import { offers, type CallFacts } from '../call/offers.ts';
import { BoardSession } from './drawing/BoardSession.svelte.ts';

export type GameRequestName = keyof typeof gameRequestSchemas;

export interface GameSessionOptions {
  request<K extends GameRequestName>(name: K, payload: RequestPayload<K>): Promise<ReplyData<K>>;
  /** This tab's own peer id, once joined. */
  selfId(): string | null;
  /** This tab's role in the room, once the server has said. */
  role(): Role | null;
  /** The room as the server describes it, once joined. */
  room(): CallFacts['room'];
  /** The storytime's book and reader (the reader leads play too). */
  storytime(): CallFacts['storytime'];
}

/** The notifications games follow; `on` returns the function that stops listening. */
export interface GameNotifications {
  on<K extends NotificationName>(name: K, handler: (payload: NotificationPayload<K>) => void): () => void;
}

/**
 * Why the last request of this tab did not work, for a short note on the screen: the server's
 * reason where it gave one (`not-your-turn` says whose turn it is), else 'failed'. `id` rises
 * with each note, so the same reason twice is announced twice.
 */
export interface GameNote {
  id: number;
  reason: ErrorReason | 'failed';
}

/**
 * The room's game as this tab sees it: the server's state (older versions of the same game
 * dropped, a new game replacing the old), the move this tab proposed until the server answers
 * (shown as a pressed look only: the server's state decides), the picker, and what the
 * permission table lets this person do (protocol/permissions.ts, through offers.ts). A drawing
 * board's strokes are its `BoardSession`'s.
 */
export class GameSession {
  #game = $state.raw<GameState | null>(null);
  /** The cell or card this tab proposed and the server has not answered yet. */
  pending = $state<number | null>(null);
  /** Why the last request did not work; cleared by the next one. */
  note = $state.raw<GameNote | null>(null);
  /** The game picker is open on this screen. */
  pickerOpen = $state(false);
  /** The drawing board's strokes, when the game is a board. */
  readonly board: BoardSession;

  readonly #options: GameSessionOptions;
  #notes = 0;
  /** The room's game counter as last seen: it rises with every change, across games and endings. */
  #version = -1;
  readonly #unlisten: (() => void)[] = [];

  constructor(options: GameSessionOptions) {
    this.#options = options;
    this.board = new BoardSession({ request: options.request, selfId: options.selfId });
  }

  /** The game as the server last said (as this person may see it), or null: none is played. */
  get game(): GameState | null {
    return this.#game;
  }

  /** What the permission table needs of the game, or null. */
  get situation(): GameSituationPart | null {
    const game = this.#game;
    return game ? { kind: game.view.kind, startedBy: game.startedBy, players: game.players, over: game.over } : null;
  }

  /** This tab's place in the game's turn order, or -1: watching (or a board, where everyone draws). */
  get seat(): number {
    const self = this.#options.selfId();
    return self === null || !this.#game ? -1 : this.#game.players.indexOf(self);
  }

  /** The peer id whose turn it is, or null (over, a board, or before a game). */
  get turnId(): string | null {
    const game = this.#game;
    if (!game || game.over) return null;
    const view = game.view;
    if (view.kind === 'drawing' || view.turn === null) return null;
    return game.players[view.turn] ?? null;
  }

  /** It is this tab's turn, and the game is waiting for it (not showing two missed cards). */
  get myTurn(): boolean {
    const self = this.#options.selfId();
    const view = this.#game?.view;
    if (view?.kind === 'memory' && view.showingMiss) return false;
    return self !== null && this.turnId === self;
  }

  /** This tab may start a game (a new one replaces the one being played). */
  get canStart(): boolean {
    return this.#offers('startGame');
  }

  /** This tab may end the game (or close the board) for everyone. */
  get canEnd(): boolean {
    return this.#offers('endGame');
  }

  /** This tab may start the same game again, once it is over. */
  get canRematch(): boolean {
    return this.#offers('rematch');
  }

  /** This tab plays (as opposed to watching). */
  get canMove(): boolean {
    return this.#offers('gameMove');
  }

  /** This tab may empty the drawing board for everyone. */
  get canClear(): boolean {
    return this.#offers('clearBoard');
  }

  #offers(action: ActionName): boolean {
    const facts: CallFacts = {
      selfId: this.#options.selfId(),
      role: this.#options.role(),
      room: this.#options.room(),
      storytime: this.#options.storytime(),
      game: this.situation,
    };
    return offers(facts, action);
  }

  /**
   * Follows `gameChanged`, and the board's stroke notifications, on a new connection (the one
   * before it is gone, so its listeners go); returns the function that stops.
   */
  listen(connection: GameNotifications): () => void {
    this.#stopListening();
    this.#unlisten.push(
      connection.on('gameChanged', ({ game, version }) => this.apply(game, false, version)),
      this.board.listen(connection),
    );
    return () => this.#stopListening();
  }

  /**
   * A state from the server, with the room's game counter (`version`: the game's own, or the
   * one `gameChanged` gives an ending). Anything not newer than what was last seen is dropped,
   * whichever game it is of (a move's reply and the notice of the same move both come; a notice
   * of a game that has since ended must not bring it back); null ends the game. `fresh` (the join
   * or resume reply) replaces whatever came before.
   */
  apply(game: GameState | null, fresh = false, version: number | undefined = game?.version): void {
    const current = this.#game;
    if (!fresh && version !== undefined && version <= this.#version) return;
    if (version !== undefined || fresh) this.#version = version ?? -1;
    // A new game (or none) starts clean: no pressed cell, no note about the game before.
    if (game?.gameId !== current?.gameId) {
      this.pending = null;
      this.note = null;
    }
    this.#game = game;
    if (game?.view.kind === 'drawing') this.board.reset(game.gameId, game.view);
    else if (current?.view.kind === 'drawing') this.board.clear();
    if (game) this.pickerOpen = false;
  }

  // --- requests ---------------------------------------------------------------------------------

  /** Starts `start` for everyone; true when it began. */
  async start(start: StartGame): Promise<boolean> {
    const ok = await this.#run(async () => this.apply(await this.#options.request('startGame', start)));
    if (ok) this.pickerOpen = false;
    return ok;
  }

  /**
   * Proposes a move (a cell, a card) in the game shown. Nothing changes here but the pressed
   * look until the server answers; a refusal leaves the game as it was and says why.
   */
  async move(move: GameMove): Promise<void> {
    const game = this.#game;
    if (!game || this.pending !== null) return;
    // While two missed cards are shown, a tap does nothing: the two cards are what to look at,
    // and a note over the board would cover them.
    if (game.view.kind === 'memory' && game.view.showingMiss) return;
    // A watcher's tap asks nothing of the server; the note says why nothing happens.
    if (!this.canMove) return this.#say('game-players-only');
    this.pending = move.kind === 'memory' ? move.card : move.cell;
    try {
      await this.#run(async () => this.apply(await this.#options.request('gameMove', { gameId: game.gameId, move })));
    } finally {
      this.pending = null;
    }
  }

  /** The same game again for the same players, in one tap. */
  async rematch(): Promise<void> {
    const game = this.#game;
    if (!game) return;
    await this.#run(async () => this.apply(await this.#options.request('rematch', { gameId: game.gameId })));
  }

  /** Ends the game (or closes the board) for everyone. */
  async end(): Promise<void> {
    const game = this.#game;
    if (!game) return;
    // The server's gameChanged (to everyone, this tab too) ends it here, in order with the rest.
    await this.#run(async () => void (await this.#options.request('endGame', { gameId: game.gameId })));
  }

  /** Forgets the note (the person read it, or closed what it was about). */
  clearNote(): void {
    this.note = null;
  }

  /** Stops listening and forgets the game (the call screen is going away). */
  dispose(): void {
    this.#stopListening();
    if (this.#game?.view.kind === 'drawing') this.board.clear();
    this.#game = null;
    this.pending = null;
  }

  /** Runs one request; a failure becomes the note (never thrown at the screen). */
  async #run(action: () => Promise<void>): Promise<boolean> {
    this.note = null;
    try {
      await action();
      return true;
    } catch (error) {
      const reason = (error as { reason?: ErrorReason } | null)?.reason;
      console.warn('game request failed', error);
      this.#say(reason ?? 'failed');
      return false;
    }
  }

  #say(reason: GameNote['reason']): void {
    this.note = { id: ++this.#notes, reason };
  }

  #stopListening(): void {
    for (const stop of this.#unlisten.splice(0)) stop();
  }
}
